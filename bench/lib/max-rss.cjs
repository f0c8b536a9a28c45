// Preloaded with --require when GNU time is absent: writes the peak RSS (KB) of this process at exit.
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE)
    require("node:fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
