// Loaded with NODE_OPTIONS=--require into the dynamic provider host when
// BENCH_PROFILE_FILE is set: records, per provider method of each resource
// implementation, the number of calls and the time inside them, the time
// inside Rekognition calls, and the host's CPU time; keeps <file>.<pid> current.
"use strict";
if ((process.argv[1] || "").includes("dynamic-provider") && process.env.BENCH_PROFILE_FILE) {
  const fs = require("node:fs");
  const Module = require("node:module");
  const stats = { methods: {}, sdk: { calls: 0, ms: 0 }, requireMs: 0 };
  const wrapped = new WeakSet();
  const wrap = (label, provider) => {
    if (!provider || typeof provider !== "object" || wrapped.has(provider)) return;
    wrapped.add(provider);
    for (const name of Object.keys(provider)) {
      const fn = provider[name];
      if (typeof fn !== "function") continue;
      provider[name] = async function (...args) {
        const start = performance.now();
        try {
          return await fn.apply(this, args);
        } finally {
          const s = (stats.methods[`${label}.${name}`] ??= { calls: 0, ms: 0 });
          s.calls++;
          s.ms += performance.now() - start;
          // The engine may kill the host without an exit event: record at once.
          write();
        }
      };
    }
  };
  const load = Module.prototype.require;
  Module.prototype.require = function (id) {
    const start = performance.now();
    const out = load.call(this, id);
    const elapsed = performance.now() - start;
    if (/\/dynamic\/|bench-floor\/impl/.test(id)) {
      stats.requireMs += elapsed;
      wrap(id.split("/").pop(), out && out.provider);
    }
    if (
      id === "@aws-sdk/client-rekognition" &&
      out.RekognitionClient &&
      !out.RekognitionClient.__benchProfiled
    ) {
      out.RekognitionClient.__benchProfiled = true;
      const send = out.RekognitionClient.prototype.send;
      out.RekognitionClient.prototype.send = async function (...args) {
        const start = performance.now();
        try {
          return await send.apply(this, args);
        } finally {
          stats.sdk.calls++;
          stats.sdk.ms += performance.now() - start;
        }
      };
    }
    return out;
  };
  function write() {
    const cpu = process.cpuUsage();
    const line = { ...stats, cpuMs: (cpu.user + cpu.system) / 1000, uptimeMs: process.uptime() * 1000 };
    try {
      fs.writeFileSync(`${process.env.BENCH_PROFILE_FILE}.${process.pid}`, JSON.stringify(line));
    } catch {}
  }
  process.on("exit", write);
}
