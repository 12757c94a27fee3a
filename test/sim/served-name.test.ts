// One catalog model under one served name, as `vllm serve <model> --served-model-name <name>`
// (what the cluster tests' stand-in vllm runs); names stay sim/-prefixed so records stay synthetic.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { findModel } from '../../src/core/catalog-load.js';
import { samplesDir } from '../../src/core/paths.js';
import { startSimulator } from '../../src/sim/index.js';

test('a served name and context length, as vllm serve gives them', async () => {
  const model = findModel('Qwen/Qwen2.5-0.5B-Instruct')!;
  const sim = await startSimulator({ models: [model], servedModelName: 'sim/small', maxModelLen: 4096, dataRoot: samplesDir(), apiKey: 'k' });
  try {
    const auth = { authorization: 'Bearer k' };
    const list = (await (await fetch(`${sim.url}/models`, { headers: auth })).json()) as { data: Array<{ id: string; root: string; max_model_len: number }> };
    assert.deepEqual(list.data.map((m) => [m.id, m.root, m.max_model_len]), [['sim/small', 'Qwen/Qwen2.5-0.5B-Instruct', 4096]]);
    const ask = (body: unknown) => fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await ask({ model: 'sim/small', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 })).status, 200);
    assert.equal((await ask({ model: 'sim/small', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5000 })).status, 400, 'held to --max-model-len');
    assert.equal((await ask({ model: 'sim/qwen2.5-0.5b-instruct', messages: [{ role: 'user', content: 'hi' }] })).status, 404);
  } finally {
    await sim.close();
  }
  await assert.rejects(startSimulator({ models: [model], servedModelName: 'qwen-small' }), /must start with 'sim\/'/);
  await assert.rejects(startSimulator({ servedModelName: 'sim/x' }), /needs exactly one model/);
});

test('masa sim --served-model-name needs --model; an unknown --model is named', () => {
  const run = (...a: string[]) => spawnSync(process.execPath, ['bin/masa.mjs', 'sim', ...a], { encoding: 'utf8' });
  assert.match(run('--served-model-name', 'sim/x').stderr, /--served-model-name needs --model/);
  assert.match(run('--model', 'gpt-9').stderr, /--model 'gpt-9' is not in the catalog/);
});
