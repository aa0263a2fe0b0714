"""The Rocket.Chat settings Chinwag honours: ids, types, defaults, visibility."""

from dataclasses import dataclass
from typing import Literal

SettingType = Literal["boolean", "string", "int", "select", "code", "password", "language"]
SettingValue = bool | int | str


@dataclass(frozen=True)
class SettingDef:
    id: str
    type: SettingType
    default: SettingValue
    group: str
    public: bool = False
    section: str | None = None
    values: tuple[str, ...] = ()  # allowed keys of a select
    hidden: bool = False

    def coerce(self, raw: object) -> SettingValue:
        """Turn a client- or environment-supplied value into this setting's type."""
        if self.type == "boolean":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "yes", "on"):
                return True
            if isinstance(raw, str) and raw.strip().lower() in ("false", "0", "no", "off"):
                return False
            raise ValueError(f"{self.id} takes true or false")
        if self.type == "int":
            if isinstance(raw, bool):
                raise ValueError(f"{self.id} takes a whole number")
            if isinstance(raw, int):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, str):
                try:
                    return int(raw.strip())
                except ValueError:
                    pass
            raise ValueError(f"{self.id} takes a whole number")
        if not isinstance(raw, str):
            raise ValueError(f"{self.id} takes a string")
        if self.type == "select" and raw not in self.values:
            raise ValueError(f"{self.id} takes one of: {', '.join(self.values)}")
        return raw


def _b(id: str, default: bool, group: str, public: bool = False) -> SettingDef:
    return SettingDef(id, "boolean", default, group, public)


def _s(id: str, default: str, group: str, public: bool = False) -> SettingDef:
    return SettingDef(id, "string", default, group, public)


def _i(id: str, default: int, group: str, public: bool = False) -> SettingDef:
    return SettingDef(id, "int", default, group, public)


_ACC = "Accounts"
_GEN = "General"
_API = "General"
_PREF = "Accounts"
_RATE = "Rate Limiter"
_MAIL = "Email"
_SMTP = "SMTP"
_ABUSE = "Abuse detection"


def _abuse(id: str, default: int) -> SettingDef:
    """Chinwag's own abuse-detection knobs (Rocket.Chat has none); whole numbers, 0 = off."""
    return SettingDef(id, "int", default, _ACC, section=_ABUSE)


SETTINGS: tuple[SettingDef, ...] = (
    # General
    _s("Site_Url", "http://localhost:3000", _GEN, public=True),
    _s("Site_Name", "Chinwag", _GEN, public=True),
    SettingDef("Language", "language", "en", _GEN, public=True),
    SettingDef(
        "Show_Setup_Wizard",
        "select",
        "pending",
        "Setup_Wizard",
        public=True,
        values=("pending", "in_progress", "completed"),
    ),
    _b("UTF8_Names_Validation_Enabled", False, _GEN),
    _s("UTF8_User_Names_Validation", "[0-9a-zA-Z-_.]+", _GEN, public=True),
    _s("UTF8_Channel_Names_Validation", "[0-9a-zA-Z-_.]+", _GEN, public=True),
    # REST API
    _i("API_Default_Count", 50, _API),
    _i("API_Upper_Count_Limit", 100, _API),
    _b("API_Allow_Infinite_Count", True, _API),
    _b("API_Enable_Personal_Access_Tokens", True, _API),
    # Rate limits (Rocket.Chat's ids and defaults): per route and IP for the REST API;
    # per IP, user, connection and method for DDP calls
    _b("API_Enable_Rate_Limiter", True, _RATE),
    _i("API_Enable_Rate_Limiter_Limit_Calls_Default", 10, _RATE),
    _i("API_Enable_Rate_Limiter_Limit_Time_Default", 60000, _RATE),
    _i("Rate_Limiter_Limit_RegisterUser", 1, _RATE),
    _i("Accounts_Registration_Per_IP_Per_Day", 20, _RATE),
    *(
        s
        for scope, calls, interval in (
            ("IP", 120000, 60000),
            ("User", 1200, 60000),
            ("Connection", 600, 60000),
            ("User_By_Method", 20, 10000),
            ("Connection_By_Method", 10, 10000),
        )
        for s in (
            _b(f"DDP_Rate_Limit_{scope}_Enabled", True, _RATE),
            _i(f"DDP_Rate_Limit_{scope}_Requests_Allowed", calls, _RATE),
            _i(f"DDP_Rate_Limit_{scope}_Interval_Time", interval, _RATE),
        )
    ),
    # Failed logins
    _b("Block_Multiple_Failed_Logins_Enabled", True, _ACC),
    _b("Block_Multiple_Failed_Logins_By_User", True, _ACC),
    _i("Block_Multiple_Failed_Logins_Attempts_Until_Block_by_User", 10, _ACC),
    _i("Block_Multiple_Failed_Logins_Time_To_Unblock_By_User_In_Minutes", 5, _ACC),
    _b("Block_Multiple_Failed_Logins_By_Ip", True, _ACC),
    _i("Block_Multiple_Failed_Logins_Attempts_Until_Block_By_Ip", 50, _ACC),
    _i("Block_Multiple_Failed_Logins_Time_To_Unblock_By_Ip_In_Minutes", 5, _ACC),
    _s("Block_Multiple_Failed_Logins_Ip_Whitelist", "", _ACC),
    _b("Block_Multiple_Failed_Logins_Notify_Failed", False, _ACC),
    _s("Block_Multiple_Failed_Logins_Notify_Failed_Channel", "", _ACC),
    # Abuse detection (Chinwag's own; see docs/ABUSE.md). Invite links: the longest
    # lifetime (days) and the most uses anyone may give one, and the join rate that pauses one
    _abuse("Invites_Max_Days", 0),
    _abuse("Invites_Max_Uses", 0),
    _abuse("Invites_Pause_After_Joins", 50),
    _abuse("Invites_Pause_Window_Minutes", 10),
    # Sign-ups in one minute, overall, per network and per email domain, past which
    # registration holds new accounts for approval for the cool-down
    _abuse("Accounts_Signup_Burst_Per_Minute", 30),
    _abuse("Accounts_Signup_Burst_Per_Network_Per_Minute", 10),
    _abuse("Accounts_Signup_Burst_Per_Domain_Per_Minute", 10),
    _abuse("Accounts_Signup_Burst_Cooldown_Minutes", 60),
    # How old (minutes) an account must be before it may hand out invite links, create
    # channels and groups, or message people it shares no room with; admins are exempt
    _abuse("Accounts_Min_Age_To_Invite_Minutes", 0),
    _abuse("Accounts_Min_Age_To_Create_Rooms_Minutes", 0),
    _abuse("Accounts_Min_Age_To_Message_Strangers_Minutes", 0),
    # Channels and groups one account may create per hour and per day (admins are exempt)
    _abuse("Rooms_Created_Per_User_Per_Hour", 20),
    _abuse("Rooms_Created_Per_User_Per_Day", 100),
    # Discussions
    _b("Discussion_enabled", True, "Discussion", public=True),
    # Registration and accounts
    # Invite-only by default once an admin exists (Rocket.Chat defaults to Public); the first
    # account can always register. See docs/COMPATIBILITY.md.
    SettingDef(
        "Accounts_RegistrationForm",
        "select",
        "Secret URL",
        _ACC,
        public=True,
        values=("Public", "Disabled", "Secret URL"),
    ),
    SettingDef("Accounts_RegistrationForm_SecretURL", "string", "", _ACC, hidden=True),
    _s(
        "Accounts_RegistrationForm_LinkReplacementText",
        "New user registration is disabled",
        _ACC,
        public=True,
    ),
    _b("Accounts_ManuallyApproveNewUsers", False, _ACC, public=True),
    _b("Accounts_EmailVerification", False, _ACC, public=True),
    _s("Accounts_AllowedDomainsList", "", _ACC, public=True),
    _s("Accounts_BlockedDomainsList", "", _ACC),
    _s("Accounts_BlockedUsernameList", "", _ACC),
    _b("Accounts_UseDefaultBlockedDomainsList", True, _ACC),
    _b("Accounts_RequireNameForSignUp", True, _ACC, public=True),
    _b("Accounts_RequirePasswordConfirmation", True, _ACC, public=True),
    _b("Accounts_ShowFormLogin", True, _ACC, public=True),
    _b("Accounts_PasswordReset", True, _ACC, public=True),
    _b("Accounts_AllowUserProfileChange", True, _ACC, public=True),
    _b("Accounts_AllowRealNameChange", True, _ACC, public=True),
    _b("Accounts_AllowUsernameChange", True, _ACC, public=True),
    _b("Accounts_AllowEmailChange", True, _ACC, public=True),
    _b("Accounts_AllowPasswordChange", True, _ACC, public=True),
    _b("Accounts_AllowUserStatusMessageChange", True, _ACC, public=True),
    _b("Accounts_AllowDeleteOwnAccount", False, _ACC, public=True),
    _b("Accounts_AllowAnonymousRead", False, _ACC, public=True),
    _b("Accounts_AllowAnonymousWrite", False, _ACC, public=True),
    _i("Accounts_LoginExpiration", 90, _ACC),
    _s("Accounts_Registration_Users_Default_Roles", "user", _ACC),
    SettingDef(
        "Accounts_Registration_InviteUrlType",
        "select",
        "direct",
        _ACC,
        values=("direct", "proxy"),
    ),
    # Two-factor authentication (Rocket.Chat's "Two Factor Authentication" section)
    _b("Accounts_TwoFactorAuthentication_Enabled", True, _ACC, public=True),
    _i("Accounts_TwoFactorAuthentication_MaxDelta", 1, _ACC),
    _b("Accounts_TwoFactorAuthentication_By_TOTP_Enabled", True, _ACC, public=True),
    _b("Accounts_TwoFactorAuthentication_By_Email_Enabled", True, _ACC, public=True),
    _b("Accounts_TwoFactorAuthentication_By_Email_Auto_Opt_In", True, _ACC),
    _i("Accounts_TwoFactorAuthentication_By_Email_Code_Expiration", 3600, _ACC),
    _i("Accounts_TwoFactorAuthentication_Max_Invalid_Email_Code_Attempts", 5, _ACC),
    _i("Accounts_TwoFactorAuthentication_RememberFor", 1800, _ACC),
    _b("Accounts_TwoFactorAuthentication_Enforce_Password_Fallback", True, _ACC, public=True),
    # Password policy (off by default, as Rocket.Chat's); the common-password check is on
    _b("Accounts_Password_Policy_Enabled", False, _ACC, public=True),
    _i("Accounts_Password_Policy_MinLength", 7, _ACC, public=True),
    _i("Accounts_Password_Policy_MaxLength", -1, _ACC, public=True),
    _b("Accounts_Password_Policy_ForbidRepeatingCharacters", True, _ACC, public=True),
    _i("Accounts_Password_Policy_ForbidRepeatingCharactersCount", 3, _ACC, public=True),
    _b("Accounts_Password_Policy_AtLeastOneLowercase", True, _ACC, public=True),
    _b("Accounts_Password_Policy_AtLeastOneUppercase", True, _ACC, public=True),
    _b("Accounts_Password_Policy_AtLeastOneNumber", True, _ACC, public=True),
    _b("Accounts_Password_Policy_AtLeastOneSpecialCharacter", True, _ACC, public=True),
    _b("Accounts_Password_Policy_ForbidCommonPasswords", True, _ACC, public=True),
    # User preference defaults (Accounts_Default_User_Preferences_<key>)
    _b("Accounts_Default_User_Preferences_enableAutoAway", True, _PREF, public=True),
    _i("Accounts_Default_User_Preferences_idleTimeLimit", 300, _PREF, public=True),
    SettingDef(
        "Accounts_Default_User_Preferences_desktopNotifications",
        "select",
        "all",
        _PREF,
        public=True,
        values=("all", "mentions", "nothing"),
    ),
    SettingDef(
        "Accounts_Default_User_Preferences_pushNotifications",
        "select",
        "all",
        _PREF,
        public=True,
        values=("all", "mentions", "nothing"),
    ),
    _b("Accounts_Default_User_Preferences_unreadAlert", True, _PREF, public=True),
    _b("Accounts_Default_User_Preferences_useEmojis", True, _PREF, public=True),
    _b("Accounts_Default_User_Preferences_convertAsciiEmoji", True, _PREF, public=True),
    _b("Accounts_Default_User_Preferences_hideUsernames", False, _PREF, public=True),
    _b("Accounts_Default_User_Preferences_hideRoles", False, _PREF, public=True),
    _b("Accounts_Default_User_Preferences_sendOnEnter", True, _PREF, public=True),
    SettingDef(
        "Accounts_Default_User_Preferences_themeAppearence",
        "select",
        "auto",
        _PREF,
        public=True,
        values=("auto", "light", "dark"),
    ),
    SettingDef(
        "Accounts_Default_User_Preferences_messageViewMode",
        "int",
        0,
        _PREF,
        public=True,
    ),
    # Email: Rocket.Chat's SMTP section (group Email) and the sender address
    SettingDef("SMTP_Protocol", "select", "smtp", _MAIL, section=_SMTP, values=("smtp", "smtps")),
    SettingDef("SMTP_Host", "string", "", _MAIL, section=_SMTP),
    SettingDef("SMTP_Port", "string", "", _MAIL, section=_SMTP),  # a string, as in Rocket.Chat
    SettingDef("SMTP_IgnoreTLS", "boolean", True, _MAIL, section=_SMTP),
    SettingDef("SMTP_Username", "string", "", _MAIL, section=_SMTP),
    SettingDef("SMTP_Password", "password", "", _MAIL, section=_SMTP),
    SettingDef("From_Email", "string", "", _MAIL, section=_SMTP),
    # Messages (honoured by the messaging capability)
    _i("Message_MaxAllowedSize", 5000, "Message", public=True),
    _b("Message_AllowEditing", True, "Message", public=True),
    _i("Message_AllowEditing_BlockEditInMinutes", 0, "Message", public=True),
    _b("Message_AllowDeleting", True, "Message", public=True),
    _i("Message_AllowDeleting_BlockDeleteInMinutes", 0, "Message", public=True),
    _b("Message_ShowDeletedStatus", False, "Message", public=True),
    _b("Message_AllowPinning", True, "Message", public=True),
    _b("Message_AllowStarring", True, "Message", public=True),
    # Notifications: above this many members, @all and @here notify nobody
    _i("Notifications_Max_Room_Members", 100, "Notifications"),
    # Chinwag's own (Rocket.Chat has none): days a login's address and user agent are kept
    # outside evidence bundles; 0 keeps none
    _i("Chinwag_Login_History_Days", 30, "Security"),
)

BY_ID: dict[str, SettingDef] = {s.id: s for s in SETTINGS}

# Keys of `Accounts_Default_User_Preferences_*`, the preferences a user may set.
PREFERENCE_PREFIX = "Accounts_Default_User_Preferences_"
PREFERENCE_KEYS: tuple[str, ...] = tuple(
    s.id.removeprefix(PREFERENCE_PREFIX) for s in SETTINGS if s.id.startswith(PREFERENCE_PREFIX)
)
