import { Command, CommanderError, Option } from "commander";
import type { CatalogueCommandOptions } from "./commands/catalogue.js";
import { type CommandContext, commandContext, type GlobalOptions, toolVersion } from "./commands/shared.js";
import { ExitCode, InserJeunesError } from "./errors.js";
import { PRESET_NAMES } from "./match/presets.js";
import { SOURCE_IDS } from "./sources/types.js";

/**
 * The program: commands are declared here (so --help needs no command code) and loaded on use.
 * One handler turns every error into a message on stderr and an exit code (DESIGN.md).
 */
const collect = (value: string, previous: string[]) => [...previous, value];

function example(...lines: string[]): string {
  return `\nExample:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** Options of match and enrich, declared once. */
function catalogueOptions(command: Command): Command {
  return command
    .argument("<catalogue>", "catalogue: CSV in any common dialect, JSON, NDJSON or LHEO XML; - for stdin")
    .option("-o, --out <file>", "write to this file (atomically) instead of stdout")
    .addOption(
      new Option("--format <format>", "output format (default: the input's form; CSV for LHEO)").choices([
        "csv",
        "json",
        "ndjson",
      ]),
    )
    .option("--columns <mapping>", "column roles, e.g. uai=UAI,cfd=CODE_CFD,onisep=URL (default: detected)")
    .addOption(new Option("--preset <name>", "column roles of a known catalogue").choices(PRESET_NAMES))
    .option("--delimiter <delimiter>", "input delimiter: auto, ';', ',', tab, pipe", "auto")
    .option("--encoding <encoding>", "input encoding: auto, utf-8, windows-1252, latin1", "auto")
    .option(
      "--output-encoding <encoding>",
      "CSV output encoding: utf-8 (default; a BOM when the input had one) or windows-1252 (no BOM; a character it lacks is an error)",
    )
    .option(
      "--excel",
      "CSV for Excel whatever the input's dialect: ';', CRLF, UTF-8 BOM (none in windows-1252), formula-safe cells",
    )
    .option(
      "--excel-safe",
      "prefix CSV cells starting with = + - @, a tab or a CR so that a spreadsheet never runs them",
    )
    .option(
      "--fuzzy",
      "when no identifier matches, compare labels (same diploma type only), flagged libelle_approx",
    )
    .option("--report <file>", "write a coverage report: .json, .md or .html")
    .option("--rejects <file>", "write the unusable rows (ij_statut invalide) with their reason")
    .option("--unmatched <file>", "write the rows that got no code")
    .option("--niveau <niveau>", "level of the figures: etablissement, regional, national, auto", "auto")
    .option("--millesime <millesime>", "millésime to use (2023 or 2022_2023; default: the latest with data)")
    .option("--max-errors <n>", "exit 5 when more rows than this are invalide (the output is still written)")
    .option("--max-unmatched <n|%>", "exit 5 when more rows than this (or this share) get no code");
}

export function buildProgram(run: (action: () => Promise<number>) => Promise<void>): Command {
  const program = new Command("inserjeunes")
    .description("Link a French training catalogue to the official InserJeunes indicators, offline.")
    .version(toolVersion(), "-V, --version")
    .option("--data-dir <dir>", "data directory (default: $INSERJEUNES_DATA_DIR or ./inserjeunes-data)")
    .option("--quiet", "print nothing but errors")
    .option("-v, --verbose", "print details")
    .option("--debug", "print stack traces of errors")
    .option("--json", "print the summary as JSON on stdout")
    .option("--no-color", "no colours in messages")
    .showHelpAfterError("(run with --help for usage)")
    // Before the subcommands are declared, so that they inherit it: errors come back to main().
    .exitOverride()
    .addHelpText(
      "after",
      example(
        "npx inserjeunes fetch --file bcn-n-mef=N_MEF.csv --file inserjeunes-api=./ij-api",
        "npx inserjeunes build-index",
        "npx inserjeunes enrich catalogue.csv --out catalogue-enrichi.csv",
      ),
    );

  const ctx = (command: Command): CommandContext =>
    commandContext(command.optsWithGlobals() as GlobalOptions);

  program
    .command("fetch")
    .description("download the public sources, or import local files, into the data directory")
    .argument("[sources...]", `source ids (default: every open source): ${SOURCE_IDS.join(", ")}`)
    .option("--file <id=path>", "import a local file or directory for a source (repeatable)", collect, [])
    .option(
      "--url <id=url>",
      "download a source from this URL, or an API from this base URL (repeatable; or INSERJEUNES_URL_<SOURCE_ID>)",
      collect,
      [],
    )
    .option("--all", "every open source, also when --file is given")
    .option("--force", "download again even when the copy is current (no revalidation, no resume)")
    .option("--offline", "download nothing: check that the sources are present and intact (exit 3 if not)")
    .option(
      "--millesimes <list>",
      "DEPP API millésimes, e.g. 2023,2024 (default: the three ending last year)",
    )
    .option("--levels <list>", "DEPP API levels: national,regional,etablissement (default: all three)")
    .option("--uai-file <file>", "schools for the DEPP API, one UAI per line (default: from the annuaire)")
    .option("--rate <n>", "API requests per second, at most (default: 5)")
    .option("--concurrency <n>", "API requests in flight at once (default: 4)")
    .option("--timeout <seconds>", "to connect, to get the headers, and of silence in a body (default: 60)")
    .option("--retries <n>", "retries of a request after a network error, 5xx or 429 (default: 4)")
    .addHelpText(
      "after",
      example(
        "inserjeunes fetch",
        "INSERJEUNES_API_USERNAME=… INSERJEUNES_API_PASSWORD=… inserjeunes fetch inserjeunes-api --millesimes 2024",
        "inserjeunes fetch --file bcn-n-mef=./N_MEF.csv --file certifinfo=./certifinfo.csv",
        "inserjeunes fetch --offline",
      ),
    )
    .action((ids: string[], opts, command: Command) =>
      run(async () => (await import("./commands/fetch.js")).default(ids, opts, ctx(command))),
    );

  program
    .command("build-index")
    .description("parse the fetched sources into one SQLite index (index.sqlite)")
    .option("--strict", "fail (exit 5) if any source row is rejected")
    .option("--report <file>", "write the validation report as JSON")
    .addHelpText("after", example("inserjeunes build-index --report build-report.json"))
    .action((opts, command: Command) =>
      run(async () => (await import("./commands/build-index.js")).default(opts, ctx(command))),
    );

  catalogueOptions(
    program
      .command("match")
      .description("find the official codes (CFD, MEFSTAT11, SISE) of each catalogue row")
      .addHelpText(
        "after",
        example("inserjeunes match offres.csv --columns uai=UAI,onisep=URL --out offres-codes.csv"),
      ),
  ).action((input: string, opts: CatalogueCommandOptions, command: Command) =>
    run(async () => (await import("./commands/match.js")).default(input, opts, ctx(command))),
  );

  catalogueOptions(
    program
      .command("enrich")
      .description("add the InserJeunes indicator columns to each catalogue row")
      .option(
        "--indicateurs <list>",
        "keep only these figure columns, e.g. taux_en_emploi_6_mois,nb_annee_term (status, code and provenance columns stay)",
      )
      .addOption(
        new Option(
          "--famille <mode>",
          "aggregate: a seconde commune gets the summed figures of its famille's terminal codes",
        ).choices(["aggregate"]),
      )
      .option(
        "--history",
        "one output row per millésime with figures (latest first) instead of the latest only: rows are repeated, so the output has more rows than the input",
      )
      .addHelpText(
        "after",
        example(
          "inserjeunes enrich offres.csv --niveau auto --out offres-enrichies.csv",
          "inserjeunes enrich offres.csv --history --indicateurs taux_en_emploi_6_mois,taux_en_formation -o historique.csv",
          "inserjeunes enrich offres.csv --excel --out offres-enrichies.csv",
        ),
      ),
  ).action((input: string, opts: CatalogueCommandOptions, command: Command) =>
    run(async () => (await import("./commands/enrich.js")).default(input, opts, ctx(command))),
  );

  program
    .command("export")
    .description(
      "write the flat datasets for publication, with manifest.json, datapackage.json and SHA256SUMS",
    )
    .argument(
      "[datasets...]",
      "certifications, regionales, formations, correspondances, couverture (separated by spaces or commas), or all",
      ["all"],
    )
    .option("-o, --out <dir>", "output directory, replaced atomically as a whole", "inserjeunes-export")
    .addOption(
      new Option("--format <format>", "dataset format").choices(["csv", "json", "ndjson"]).default("csv"),
    )
    .option(
      "--millesime <millesimes>",
      "keep these millésimes: 2023, 2022_2023 or 2022/2023 (comma-separated)",
    )
    .option("--region <codes>", "keep these regions (INSEE codes, comma-separated): regionales, formations")
    .option("--academie <codes>", "keep these académies (comma-separated): formations")
    .option("--lookup", "also write keyed lookups (NDJSON by uai|code and region|cfd, SQLite) under lookup/")
    .option("--catalogue <file>", "catalogue whose coverage the couverture dataset reports")
    .option(
      "--columns <mapping>",
      "column roles of --catalogue, e.g. cfd=CODE_CFD,uai=UAI (default: detected)",
    )
    .option("--delimiter <delimiter>", "delimiter of --catalogue: auto, ';', ',', tab, pipe", "auto")
    .option("--encoding <encoding>", "encoding of --catalogue: auto, utf-8, windows-1252, latin1", "auto")
    .addHelpText(
      "after",
      example(
        "inserjeunes export all --out ./publication --lookup",
        "inserjeunes export formations regionales --region 84 --millesime 2022/2023 --format ndjson",
        "inserjeunes export couverture --catalogue offres.csv --out ./couverture",
      ),
    )
    .action((datasets: string[], opts, command: Command) =>
      run(async () => (await import("./commands/export.js")).default(datasets.join(","), opts, ctx(command))),
    );

  program
    .command("status")
    .description("show which sources are fetched, how old they are, and the state of the index")
    .option("--max-age <days>", "exit 3 when a fetched source is older than this many days (monitoring)")
    .addHelpText("after", example("inserjeunes status --json --max-age 8"))
    .action((opts, command: Command) =>
      run(async () => (await import("./commands/status.js")).default(opts, ctx(command))),
    );

  return program;
}

/** Run the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const debug = argv.includes("--debug");
  const run = async (action: () => Promise<number>) => {
    exitCode = await action();
  };
  const program = buildProgram(run);
  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return report(error, debug);
  }
}

function report(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof InserJeunesError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`Possible fix: ${error.hint}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const err = error as NodeJS.ErrnoException;
  if (err?.code === "EACCES" || err?.code === "ENOSPC" || err?.code === "EROFS") {
    process.stderr.write(`error: ${err.message}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(`unexpected error (a bug in inserjeunes): ${err?.message ?? String(error)}\n`);
  process.stderr.write(
    debug && err?.stack ? `${err.stack}\n` : "Run again with --debug to see the stack trace.\n",
  );
  return ExitCode.bug;
}
