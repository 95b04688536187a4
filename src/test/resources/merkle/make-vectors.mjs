// Makes standard-merkle-tree-vectors.json (EntitlementTreeTest): in a scratch folder outside the repo,
//   npm install @openzeppelin/merkle-tree && node make-vectors.mjs > standard-merkle-tree-vectors.json
// Addresses and amounts are derived from fixed seeds, so the output is the same every run.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import crypto from "node:crypto";
// Deterministic pseudo-random addresses and amounts from a seed, so the vectors can be made again.
function det(seed, i, bytes) { return crypto.createHash("sha256").update(`${seed}:${i}`).digest().subarray(0, bytes); }
const sets = [];
for (const n of [1, 2, 3, 5, 100]) {
  const values = [];
  for (let i = 0; i < n; i++) {
    const addr = "0x" + det("addr" + n, i, 20).toString("hex");
    const amount = BigInteger(det("amt" + n, i, i % 3 === 0 ? 32 : 6));
    values.push([addr, amount.toString()]);
  }
  const tree = StandardMerkleTree.of(values, ["address", "uint256"]);
  const proofs = [];
  for (const [i, v] of tree.entries()) proofs.push({ account: v[0], cumulative: v[1], leaf: tree.leafHash(v), proof: tree.getProof(i) });
  sets.push({ size: n, root: tree.root, entitlements: proofs });
}
function BigInteger(buf) { return BigInt("0x" + buf.toString("hex")); }
console.log(JSON.stringify({ generator: "@openzeppelin/merkle-tree " + (await import("@openzeppelin/merkle-tree/package.json", { with: { type: "json" } })).default.version + ": StandardMerkleTree.of(values, [\"address\", \"uint256\"])", sets }, null, 1));
