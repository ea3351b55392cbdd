// Collection as the dynamic provider host loads it by name (see ../shim.ts);
// its behaviour is ../collection/engine.ts.
import { engine } from "../collection/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
