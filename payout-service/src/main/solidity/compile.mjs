// Compiles the Solidity sources next to this script with solc-js (standard JSON), resolving
// @openzeppelin/... imports from the repository's node_modules, and writes one {abi, bytecode} JSON per
// contract into the output directory (argument 1; default target/classes/contracts).
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '../../../target/classes/contracts'));

function repoRoot(start) {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above ' + start);
    dir = parent;
  }
  return dir;
}
const root = repoRoot(here);
const require = createRequire(join(root, 'package.json'));
const solc = require('solc');

const sources = {};
for (const file of readdirSync(here).filter((name) => name.endsWith('.sol')).sort()) {
  sources[file] = { content: readFileSync(join(here, file), 'utf8') };
}

function findImports(path) {
  const file = join(root, 'node_modules', path);
  return existsSync(file) ? { contents: readFileSync(file, 'utf8') } : { error: 'not found: ' + path };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 10000 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors ?? []).filter((error) => error.severity === 'error');
for (const message of output.errors ?? []) console.error(message.formattedMessage);
if (errors.length > 0) process.exit(1);

mkdirSync(outDir, { recursive: true });
for (const file of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[file])) {
    const artifact = { contractName: name, compiler: 'solc ' + solc.version(), abi: contract.abi,
      bytecode: '0x' + contract.evm.bytecode.object };
    writeFileSync(join(outDir, name + '.json'), JSON.stringify(artifact, null, 2) + '\n');
  }
}
console.log('compiled ' + Object.keys(sources).join(', ') + ' with solc ' + solc.version() + ' into ' + outDir);
