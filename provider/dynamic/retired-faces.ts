// RetiredFaces (a bulk roster's retired faces) as the dynamic provider host
// loads it by name (see ../shim.ts); its behaviour is ../retired/engine.ts.
import { engine } from "../retired/engine.js";
import { dynamicProvider } from "./adapter.js";

export const provider = dynamicProvider(engine);
