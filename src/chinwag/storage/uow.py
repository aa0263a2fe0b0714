"""The unit of work: one transaction, the repositories bound to it, and the events it emits."""

from chinwag.events.types import Event
from chinwag.storage.audit import AuditRepo
from chinwag.storage.config import ConfigRepo
from chinwag.storage.database import Conn
from chinwag.storage.email_tokens import EmailTokenRepo
from chinwag.storage.invites import InviteRepo
from chinwag.storage.mail import MailRepo
from chinwag.storage.messages import MessageRepo
from chinwag.storage.moderation import ModerationRepo
from chinwag.storage.rooms import RoomRepo
from chinwag.storage.signup_bursts import SignupBurstRepo
from chinwag.storage.threads import ThreadRepo
from chinwag.storage.tokens import TokenRepo
from chinwag.storage.two_factor import TwoFactorRepo
from chinwag.storage.users import UserRepo


class UnitOfWork:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.users = UserRepo(conn)
        self.tokens = TokenRepo(conn)
        self.rooms = RoomRepo(conn)
        self.invites = InviteRepo(conn)
        self.messages = MessageRepo(conn)
        self.threads = ThreadRepo(conn)
        self.config = ConfigRepo(conn)
        self.mail = MailRepo(conn)
        self.email_tokens = EmailTokenRepo(conn)
        self.two_factor = TwoFactorRepo(conn)
        self.audit = AuditRepo(conn)
        self.moderation = ModerationRepo(conn)
        self.signup_bursts = SignupBurstRepo(conn)
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        """Queue an event; it reaches the bus only after the transaction commits."""
        self.events.append(event)
