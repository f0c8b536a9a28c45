import type { SourceId } from "../../sources/types.js";
import type { SourceFetchContext, SourceFetchResult } from "../source-fetch.js";
import { fetchCatalogueApprentissage } from "./catalogue-apprentissage.js";
import { fetchExpositionApi } from "./exposition-api.js";
import { fetchInserjeunesApi } from "./inserjeunes-api.js";

/** The client of each source whose descriptor says `kind: "api"`: one module per API. */
export const API_CLIENTS: Partial<Record<SourceId, (ctx: SourceFetchContext) => Promise<SourceFetchResult>>> =
  {
    "catalogue-apprentissage": fetchCatalogueApprentissage,
    "inserjeunes-api": fetchInserjeunesApi,
    "exposition-api": fetchExpositionApi,
  };
