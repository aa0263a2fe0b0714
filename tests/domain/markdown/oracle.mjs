// A long-lived oracle: one JSON request a line on stdin ({"text": ..., "options": ...}),
// one JSON answer a line on stdout ({"tree": ...} or {"error": name, "message": ...}).
// The parser keeps state in module-level flags that a thrown RangeError can leave set,
// so after any other error than the grammar's own SyntaxError a fresh copy is imported.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const entry = pathToFileURL(process.argv[2]).href;
let generation = 0;
let parser = await import(`${entry}?generation=${generation}`);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const request = JSON.parse(line);
  let answer;
  try {
    answer = { tree: parser.parse(request.text, request.options) };
  } catch (error) {
    answer = { error: error.name, message: String(error.message).slice(0, 200) };
    if (error.name !== 'SyntaxError') {
      generation += 1;
      parser = await import(`${entry}?generation=${generation}`);
    }
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
