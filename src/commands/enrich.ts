import { type CatalogueCommandOptions, catalogueCommand } from "./catalogue.js";
import type { CommandContext } from "./shared.js";

export default function enrichCommand(input: string, opts: CatalogueCommandOptions, ctx: CommandContext) {
  return catalogueCommand("enrich", input, opts, ctx);
}
