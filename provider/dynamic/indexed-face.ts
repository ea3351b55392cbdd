// IndexedFace as the dynamic provider host loads it by name (see ../shim.ts);
// its behaviour is ../face/engine.ts.
import { engine } from "../face/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
