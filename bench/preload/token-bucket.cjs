// Loaded with NODE_OPTIONS=--require into the dynamic provider host: the
// candidate provider change "client-side token bucket per operation",
// measured without editing provider/. Every attempt (retries included) of a
// Rekognition call first takes a token from its operation's bucket, refilled
// at BENCH_CLIENT_TPS tokens a second (burst BENCH_CLIENT_BURST, default 1).
"use strict";
if ((process.argv[1] || "").includes("dynamic-provider") && process.env.BENCH_CLIENT_TPS) {
  const path = require("node:path");
  const { setTimeout: sleep } = require("node:timers/promises");
  const rate = Number(process.env.BENCH_CLIENT_TPS);
  const burst = Number(process.env.BENCH_CLIENT_BURST || 1);
  const buckets = new Map();
  // Reserve the next free slot of the operation: FIFO, no busy waiting.
  async function take(operation) {
    const now = performance.now();
    let b = buckets.get(operation);
    if (!b) buckets.set(operation, (b = { next: now - ((burst - 1) * 1000) / rate }));
    const slot = Math.max(now, b.next);
    b.next = slot + 1000 / rate;
    if (slot > now) await sleep(slot - now);
  }
  const resolved = require.resolve("@aws-sdk/client-rekognition", {
    paths: [process.cwd(), path.join(__dirname, "..")],
  });
  const { RekognitionClient } = require(resolved);
  const send = RekognitionClient.prototype.send;
  RekognitionClient.prototype.send = function (command, ...rest) {
    if (!this.__benchTokenBucket) {
      this.__benchTokenBucket = true;
      // The deserialize step runs once per attempt, inside the retry loop.
      this.middlewareStack.add(
        (next, context) => async (args) => {
          await take(context.commandName);
          return next(args);
        },
        { step: "deserialize", name: "benchTokenBucket", priority: "low" },
      );
    }
    return send.call(this, command, ...rest);
  };
}
