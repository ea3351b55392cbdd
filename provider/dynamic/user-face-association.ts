// UserFaceAssociation as the dynamic provider host loads it by name (see
// ../shim.ts); its behaviour is ../association/engine.ts.
import { engine } from "../association/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
