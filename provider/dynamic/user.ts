// User as the dynamic provider host loads it by name (see ../shim.ts); its
// behaviour is ../user/engine.ts.
import { engine } from "../user/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
