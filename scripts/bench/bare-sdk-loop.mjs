// The baseline of the start-up bench (scripts/bench/cost.ts): N chat requests through the openai
// SDK with C workers, nothing else, as a whole process: `node bare-sdk-loop.mjs <url> <N> <C>`.
import OpenAI from 'openai';

const [url, nArg, cArg] = process.argv.slice(2);
const n = Number(nArg);
const sdk = new OpenAI({ baseURL: url, apiKey: 'EMPTY', maxRetries: 0 });
let next = 0;
const worker = async () => {
  while (next < n) {
    const i = next++;
    const a = (i * 37) % 101;
    const b = (i * 53 + 11) % 97;
    await sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `Compute ${a} + ${b}. End with "The answer is N".` }], max_tokens: 64 });
  }
};
await Promise.all(Array.from({ length: Number(cArg) }, worker));
