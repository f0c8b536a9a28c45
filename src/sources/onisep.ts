import type { SourceAccess } from "./types.js";

/** Static download of an Onisep open-data dataset (no authentication). */
export function onisepDownload(dataset: string): SourceAccess {
  return {
    kind: "http",
    files: [
      {
        url: `https://api.opendata.onisep.fr/downloads/${dataset}/${dataset}.csv`,
        fileName: `${dataset}.csv`,
      },
    ],
  };
}
