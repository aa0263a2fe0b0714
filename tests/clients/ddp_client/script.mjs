// Drives Rocket.Chat's own @rocket.chat/ddp-client against a live server.
//
// Usage: node script.mjs PACKAGE_DIR SERVER_URL USERNAME PASSWORD TOKEN ROOM_ID TEXT
// PACKAGE_DIR holds the installed node_modules. One session logs in with the password (the SDK
// sends its sha-256 digest), another resumes with TOKEN; both subscribe to the room's messages,
// then the script prints {"step":"subscribed"} and waits for a message whose text is TEXT to
// reach both. Prints one JSON line per step; exits non-zero if any step fails or times out.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [packageDir, serverUrl, username, password, token, roomId, text] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 15_000;

const require = createRequire(join(packageDir, 'package.json'));
// Node 20 has no global WebSocket, and the SDK opens its socket with the global one.
globalThis.WebSocket = require('ws').WebSocket;
const { DDPSDK } = require('@rocket.chat/ddp-client');

let current = 'start';

function report(fields) {
  current = fields.step;
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function connect() {
  return within(DDPSDK.createAndConnect(serverUrl), 'connected');
}

// Subscribes to the room's messages: `ready` settles on the server's ready (or nosub),
// `arrival` with the first message whose text is TEXT.
function watchRoom(sdk) {
  let arrived;
  const arrival = new Promise((resolve) => {
    arrived = resolve;
  });
  const subscription = sdk.stream('room-messages', roomId, (message) => {
    if (message?.msg === text) {
      arrived(message);
    }
  });
  return { ready: subscription.ready(), arrival };
}

function summary(message) {
  return { id: message._id, rid: message.rid, msg: message.msg, username: message.u?.username };
}

async function main() {
  const byPassword = await connect();
  report({ step: 'connected', session: byPassword.connection.session ?? null });
  const digest = createHash('sha256').update(password).digest('hex');
  await within(byPassword.account.loginWithPassword(username, digest), 'login');
  // The server publishes the user's own document, which the SDK keeps as account.user.
  report({ step: 'login', user_id: byPassword.account.uid, username: byPassword.account.user?.username ?? null });

  const byToken = await connect();
  const resumed = await within(byToken.account.loginWithToken(token), 'resume');
  report({ step: 'resume', user_id: byToken.account.uid, token_kept: resumed.token === token });

  const watches = [byPassword, byToken].map(watchRoom);
  await within(Promise.all(watches.map((watch) => watch.ready)), 'subscription ready');
  report({ step: 'subscribed' });

  const arrivals = Promise.all(watches.map((watch) => watch.arrival));
  const [first, second] = await within(arrivals, `message "${text}"`);
  report({ step: 'received', by_password: summary(first), by_token: summary(second) });
  byPassword.connection.close();
  byToken.connection.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`failed after step ${current}: ${error?.stack ?? JSON.stringify(error)}\n`);
    process.exit(1);
  },
);
