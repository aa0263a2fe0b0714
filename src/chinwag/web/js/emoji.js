// Emoji shortcodes and their characters: a small built-in set, grouped for the picker.
// Generated once from a hand-picked table; edit freely.

export const CATEGORIES = [
  ["Smileys", "grinning 😀 smiley 😃 smile 😄 grin 😁 laughing 😆 sweat_smile 😅 rofl 🤣 joy 😂 slight_smile 🙂 upside_down 🙃 wink 😉 blush 😊 innocent 😇 heart_eyes 😍 star_struck 🤩 kissing_heart 😘 kissing 😗 yum 😋 stuck_out_tongue 😛 stuck_out_tongue_winking_eye 😜 zany_face 🤪 money_mouth 🤑 hugging 🤗 thinking 🤔 zipper_mouth 🤐 neutral_face 😐 expressionless 😑 no_mouth 😶 smirk 😏 unamused 😒 rolling_eyes 🙄 grimacing 😬 relieved 😌 pensive 😔 sleepy 😪 sleeping 😴 mask 😷 nerd 🤓 sunglasses 😎 confused 😕 worried 😟 slight_frown 🙁 open_mouth 😮 hushed 😯 astonished 😲 flushed 😳 pleading_face 🥺 fearful 😨 cold_sweat 😰 cry 😢 sob 😭 scream 😱 confounded 😖 persevere 😣 disappointed 😞 sweat 😓 weary 😩 tired_face 😫 yawning_face 🥱 triumph 😤 rage 😡 angry 😠 skull 💀 poop 💩 clown 🤡 ghost 👻 alien 👽 robot 🤖 dizzy_face 😵 partying_face 🥳 exploding_head 🤯 face_with_monocle 🧐 shushing_face 🤫 see_no_evil 🙈 hear_no_evil 🙉 speak_no_evil 🙊"],
  ["People", "wave 👋 raised_hand ✋️ ok_hand 👌 v ✌️ crossed_fingers 🤞 metal 🤘 call_me 🤙 point_left 👈 point_right 👉 point_up ☝️ point_down 👇 thumbsup 👍 thumbsdown 👎 fist ✊️ punch 👊 clap 👏 raised_hands 🙌 open_hands 👐 handshake 🤝 pray 🙏 writing_hand ✍️ muscle 💪 eyes 👀 brain 🧠 person_gesturing_ok 🙆 person_gesturing_no 🙅 person_shrugging 🤷 person_facepalming 🤦 person_raising_hand 🙋 man_technologist 👨\u200d💻 woman_technologist 👩\u200d💻 busts_in_silhouette 👥 baby 👶 ninja 🥷"],
  ["Nature", "dog 🐶 cat 🐱 mouse 🐭 rabbit 🐰 fox 🦊 bear 🐻 panda_face 🐼 koala 🐨 tiger 🐯 lion_face 🦁 cow 🐮 pig 🐷 frog 🐸 monkey_face 🐵 chicken 🐔 penguin 🐧 bird 🐦 owl 🦉 unicorn 🦄 bee 🐝 bug 🐛 butterfly 🦋 snail 🐌 turtle 🐢 snake 🐍 octopus 🐙 whale 🐳 dolphin 🐬 fish 🐟 crab 🦀 cactus 🌵 evergreen_tree 🌲 deciduous_tree 🌳 palm_tree 🌴 seedling 🌱 herb 🌿 four_leaf_clover 🍀 fallen_leaf 🍂 mushroom 🍄 tulip 🌷 rose 🌹 sunflower 🌻 cherry_blossom 🌸 sunny ☀️ cloud ☁️ umbrella ☔️ snowflake ❄️ zap ⚡️ fire 🔥 droplet 💧 ocean 🌊 rainbow 🌈 star ⭐ star2 🌟 sparkles ✨️ crescent_moon 🌙 earth_africa 🌍"],
  ["Food", "apple 🍎 green_apple 🍏 pear 🍐 tangerine 🍊 lemon 🍋 banana 🍌 watermelon 🍉 grapes 🍇 strawberry 🍓 cherries 🍒 peach 🍑 pineapple 🍍 avocado 🥑 tomato 🍅 eggplant 🍆 carrot 🥕 corn 🌽 hot_pepper 🌶 bread 🍞 cheese 🧀 egg 🥚 bacon 🥓 hamburger 🍔 fries 🍟 pizza 🍕 hotdog 🌭 taco 🌮 burrito 🌯 popcorn 🍿 sushi 🍣 ramen 🍜 spaghetti 🍝 rice 🍚 curry 🍛 icecream 🍦 doughnut 🍩 cookie 🍪 birthday 🎂 cake 🍰 chocolate_bar 🍫 candy 🍬 coffee ☕️ tea 🍵 beer 🍺 beers 🍻 wine_glass 🍷 champagne 🍾 tropical_drink 🍹"],
  ["Activities", "soccer ⚽️ basketball 🏀 football 🏈 baseball ⚾️ tennis 🎾 volleyball 🏐 ping_pong 🏓 golf ⛳️ dart 🎯 bowling 🎳 video_game 🎮 game_die 🎲 chess_pawn ♟️ jigsaw 🧩 trophy 🏆 medal 🏅 first_place 🥇 tada 🎉 confetti_ball 🎊 balloon 🎈 gift 🎁 art 🎨 performing_arts 🎭 musical_note 🎵 notes 🎶 microphone 🎤 headphones 🎧 guitar 🎸 bicycle 🚲 car 🚗 bus 🚌 train 🚆 airplane ✈️ rocket 🚀 ship 🚢 house 🏠 office 🏢 hospital 🏥 tent ⛺️"],
  ["Objects", "watch ⌚️ iphone 📱 computer 💻 keyboard ⌨️ desktop 🖥 printer 🖨 mouse_three_button 🖱 floppy_disk 💾 cd 💿 camera 📷 tv 📺 telephone ☎️ battery 🔋 electric_plug 🔌 bulb 💡 flashlight 🔦 candle 🕯 moneybag 💰 credit_card 💳 gem 💎 wrench 🔧 hammer 🔨 gear ⚙️ nut_and_bolt 🔩 chains ⛓️ magnet 🧲 microscope 🔬 telescope 🔭 pill 💊 syringe 💉 key 🔑 lock 🔒 unlock 🔓 bell 🔔 no_bell 🔕 bookmark 🔖 link 🔗 paperclip 📎 pushpin 📌 scissors ✂️ pencil2 ✏️ memo 📝 book 📖 books 📚 newspaper 📰 calendar 📅 chart_with_upwards_trend 📈 chart_with_downwards_trend 📉 clipboard 📋 file_folder 📁 wastebasket 🗑 envelope ✉️ email 📧 inbox_tray 📥 package 📦 mag 🔍 hourglass ⌛️ alarm_clock ⏰️ stopwatch ⏱️ construction 🚧 rotating_light 🚨"],
  ["Symbols", "heart ❤️ orange_heart 🧡 yellow_heart 💛 green_heart 💚 blue_heart 💙 purple_heart 💜 black_heart 🖤 broken_heart 💔 two_hearts 💕 sparkling_heart 💖 heartbeat 💓 100 💯 boom 💥 anger 💢 dizzy 💫 speech_balloon 💬 thought_balloon 💭 zzz 💤 white_check_mark ✅️ heavy_check_mark ✔️ ballot_box_with_check ☑️ x ❌️ negative_squared_cross_mark ❎️ heavy_plus_sign ➕️ heavy_minus_sign ➖️ question ❓️ grey_question ❔️ exclamation ❗️ bangbang ‼️ warning ⚠️ no_entry ⛔️ no_entry_sign 🚫 stop_sign 🛑 recycle ♻️ infinity ♾️ arrow_up ⬆️ arrow_down ⬇️ arrow_left ⬅️ arrow_right ➡️ arrows_counterclockwise 🔄 new 🆕 free 🆓 up 🆙 cool 🆒 ok 🆗 sos 🆘 red_circle 🔴 orange_circle 🟠 yellow_circle 🟡 green_circle 🟢 blue_circle 🔵 white_circle ⚪️ black_circle ⚫️ checkered_flag 🏁 triangular_flag_on_post 🚩 white_flag 🏳 rainbow_flag 🏳️\u200d🌈"],
];

export const EMOJI = new Map();
export const GROUPS = CATEGORIES.map(([name, table]) => {
  const names = [];
  const parts = table.split(' ');
  for (let i = 0; i < parts.length; i += 2) {
    EMOJI.set(parts[i], parts[i + 1]);
    names.push(parts[i]);
  }
  return { name, names };
});
const ALIASES = {"+1": "thumbsup", "-1": "thumbsdown", "thumbup": "thumbsup", "thumbdown": "thumbsdown", "slightly_smiling_face": "slight_smile", "slight_smile": "slight_smile", "simple_smile": "slight_smile", "satisfied": "laughing", "heart_eyes_cat": "heart_eyes", "shit": "poop", "hankey": "poop", "thinking_face": "thinking", "raised_hands": "raised_hands", "party": "tada", "ok_woman": "person_gesturing_ok", "no_good": "person_gesturing_no", "shrug": "person_shrugging", "facepalm": "person_facepalming", "red_heart": "heart", "fireworks": "sparkles", "upside_down_face": "upside_down", "nerd_face": "nerd", "hugs": "hugging", "frowning": "slight_frown", "white_frowning_face": "slight_frown", "sun": "sunny", "check": "white_check_mark", "eye": "eyes", "+": "heavy_plus_sign"};
for (const [alias, name] of Object.entries(ALIASES)) if (!EMOJI.has(alias)) EMOJI.set(alias, EMOJI.get(name));

/** The character of a shortcode (with or without colons), or null. */
export function emojiChar(code) {
  const name = code.replace(/^:|:$/g, '');
  return EMOJI.get(name) ?? null;
}

/** Shortcodes starting with (then containing) `text`, for autocomplete. */
export function searchEmoji(text, limit = 8) {
  const q = text.toLowerCase();
  const starts = [], contains = [];
  for (const name of EMOJI.keys()) {
    if (name.startsWith(q)) starts.push(name);
    else if (name.includes(q)) contains.push(name);
  }
  return [...starts, ...contains].slice(0, limit);
}
