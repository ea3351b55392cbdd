// FaceRosterShard (the bulk roster's resource) as the dynamic provider host
// loads it by name (see ../shim.ts); its behaviour is ../bulk/engine.ts.
import { engine } from "../bulk/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
