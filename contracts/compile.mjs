// Compiles the token contracts with the pinned solc from npm and writes one JSON per contract
// (ABI + creation bytecode). The app loads these committed files, so it needs no solc at run time;
// the build compiles again into target/ and ContractArtifactsTest fails when the two differ.
//   node compile.mjs                                   writes the committed artifacts
//   node compile.mjs --main <dir> --test <dir>         writes elsewhere (the build: target/contracts)
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const solc = require("solc");
const here = path.dirname(fileURLToPath(import.meta.url));

// Which sources become artifacts: only contracts defined in these files are written.
const TARGETS = {
  main: ["src/PersCredit.sol", "src/PersRewards.sol", "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol"],
  test: ["test/PersCreditV1.sol", "test/PersCreditV2.sol", "test/PersRewardsV2.sol"],
};
const SETTINGS = {
  // cancun: the newest fork most EVM chains PERS settles on already run.
  evmVersion: "cancun",
  // Many runs: these contracts are deployed once per token and called for every settled batch.
  optimizer: { enabled: true, runs: 10000 },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? path.resolve(process.argv[at + 1]) : fallback;
}

const out = {
  main: option("--main", path.join(here, "../src/main/resources/contracts")),
  test: option("--test", path.join(here, "../src/test/resources/contracts")),
};

function read(source) {
  const file = source.startsWith("@") ? require.resolve(source) : path.join(here, source);
  return fs.readFileSync(file, "utf8");
}

const input = {
  language: "Solidity",
  sources: Object.fromEntries(Object.values(TARGETS).flat().map((s) => [s, { content: read(s) }])),
  settings: SETTINGS,
};
const findImports = (source) => {
  try {
    return { contents: read(source) };
  } catch (e) {
    return { error: `${source}: ${e.message}` };
  }
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

const problems = output.errors ?? [];
problems.filter((p) => p.severity !== "error").forEach((p) => console.warn(p.formattedMessage));
const errors = problems.filter((p) => p.severity === "error");
if (errors.length > 0) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}

for (const [kind, sources] of Object.entries(TARGETS)) {
  fs.rmSync(out[kind], { recursive: true, force: true });
  fs.mkdirSync(out[kind], { recursive: true });
  for (const source of sources) {
    for (const [name, contract] of Object.entries(output.contracts[source])) {
      const artifact = {
        contractName: name,
        sourceName: source,
        compiler: { solc: solc.version(), evmVersion: SETTINGS.evmVersion, optimizerRuns: SETTINGS.optimizer.runs },
        abi: contract.abi,
        bytecode: "0x" + contract.evm.bytecode.object,
      };
      fs.writeFileSync(path.join(out[kind], `${name}.json`), JSON.stringify(artifact, null, 2) + "\n");
    }
  }
  console.log(`${sources.length} sources -> ${path.relative(process.cwd(), out[kind]) || "."}`);
}
