import { type CatalogueCommandOptions, catalogueCommand } from "./catalogue.js";
import type { CommandContext } from "./shared.js";

export default function matchCommand(input: string, opts: CatalogueCommandOptions, ctx: CommandContext) {
  return catalogueCommand("match", input, opts, ctx);
}
