// `npm run bench` entry. The package is CommonJS, so Node runs this file as
// CommonJS; the benchmark itself is ES modules (bench/*.mts), loaded here.
//
//   node bench/run.ts [--quick] [--sizes 10,100,500] [--reps 3] [--quota-sizes 100,500]
//                     [--quota-tps 5] [--no-quota] [--no-variants] [--out DIR]
//
// See bench/main.mts for what is measured and bench/README.md for how to read it.
import("./main.mts").catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
