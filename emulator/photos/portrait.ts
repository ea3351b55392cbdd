import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { FEATURES, HAIR_INSET, HAIR_LINE } from "../model/layout.js";
import { hash32, seededRandom } from "./random.js";

/**
 * Synthetic portraits: a person is an ellipse "face" whose skin tone, proportions
 * and feature colours are a deterministic function of the name; each photo of the
 * person varies the position, brightness, background and sensor noise.
 */

export const CANVAS_WIDTH = 160;
export const CANVAS_HEIGHT = 200;

export interface PortraitOptions {
  format?: "png" | "jpeg";
  /** How many faces the photo shows (default 1). The second face is a companion of the person. */
  faces?: 0 | 1 | 2;
}

type Rgb = [number, number, number];

const SKIN_TONES: readonly Rgb[] = [
  [224, 172, 138],
  [198, 134, 96],
  [232, 190, 160],
  [170, 110, 75],
  [141, 85, 56],
  [215, 160, 120],
];

interface Person {
  skin: Rgb;
  hair: Rgb;
  features: Rgb[];
  widthJitter: number;
  heightJitter: number;
}

function personOf(name: string): Person {
  const rand = seededRandom(hash32(`person:${name}`));
  const colour = (): Rgb => [25 + rand() * 205, 25 + rand() * 205, 25 + rand() * 205];
  const skin = SKIN_TONES[Math.floor(rand() * SKIN_TONES.length)] ?? SKIN_TONES[0]!;
  return {
    skin,
    hair: colour(),
    features: FEATURES.map(() => colour()),
    widthJitter: rand(),
    heightJitter: rand(),
  };
}

interface PlacedFace {
  person: Person;
  cx: number;
  cy: number;
  a: number;
  b: number;
}

function colourAt(face: PlacedFace, x: number, y: number): Rgb | undefined {
  const u = (x - face.cx) / face.a;
  const v = (y - face.cy) / face.b;
  if (u * u + v * v > 1) return undefined;
  for (let i = 0; i < FEATURES.length; i++) {
    const f = FEATURES[i]!;
    const du = (u - f.u) / f.ru;
    const dv = (v - f.v) / f.rv;
    if (du * du + dv * dv <= 1) return face.person.features[i];
  }
  const iu = u / HAIR_INSET;
  const iv = v / HAIR_INSET;
  if (v < HAIR_LINE && iu * iu + iv * iv <= 1) return face.person.hair;
  return face.person.skin;
}

function placeFaces(person: string, count: number, rand: () => number): PlacedFace[] {
  const shift = () => (rand() - 0.5) * 2;
  if (count === 0) return [];
  if (count === 1) {
    const p = personOf(person);
    return [
      {
        person: p,
        cx: CANVAS_WIDTH / 2 + shift() * 6,
        cy: CANVAS_HEIGHT / 2 + 4 + shift() * 6,
        a: (92 + p.widthJitter * 16) / 2,
        b: (124 + p.heightJitter * 16) / 2,
      },
    ];
  }
  return [person, `${person}~companion`].map((name, i) => {
    const p = personOf(name);
    return {
      person: p,
      cx: (i === 0 ? 40 : 120) + shift() * 2,
      cy: CANVAS_HEIGHT / 2 + shift() * 6,
      a: (62 + p.widthJitter * 8) / 2,
      b: (80 + p.heightJitter * 10) / 2,
    };
  });
}

/** RGBA pixels of a portrait; the encoders below wrap this. */
export function renderPortrait(person: string, photo: number, faces: 0 | 1 | 2 = 1): Uint8Array {
  const rand = seededRandom(hash32(`photo:${person}:${photo}:${faces}`));
  const placed = placeFaces(person, faces, rand);
  // Backgrounds keep blue above red so they can never be mistaken for skin.
  const bgRed = 80 + rand() * 110;
  const background: Rgb = [bgRed, bgRed + rand() * 25, bgRed + 30 + rand() * 25];
  const brightness = 0.9 + rand() * 0.18;
  const gradient = (rand() - 0.5) * 30;
  const noise = seededRandom(hash32(`noise:${person}:${photo}:${faces}`));
  const out = new Uint8Array(CANVAS_WIDTH * CANVAS_HEIGHT * 4);
  for (let y = 0; y < CANVAS_HEIGHT; y++) {
    const shade = gradient * (y / CANVAS_HEIGHT - 0.5);
    for (let x = 0; x < CANVAS_WIDTH; x++) {
      let rgb: Rgb | undefined;
      for (const face of placed) {
        rgb = colourAt(face, x, y);
        if (rgb) break;
      }
      const base = rgb ?? background;
      const lift = rgb ? 0 : shade;
      const o = (y * CANVAS_WIDTH + x) * 4;
      for (let c = 0; c < 3; c++) {
        const value = (base[c]! + lift) * brightness + (noise() - 0.5) * 12;
        out[o + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
      out[o + 3] = 255;
    }
  }
  return out;
}

/** A deterministic synthetic portrait of `person`, photo number `photo`, as PNG (default) or JPEG bytes. */
export function generatePortrait(person: string, photo: number, opts: PortraitOptions = {}): Buffer {
  const pixels = renderPortrait(person, photo, opts.faces ?? 1);
  if (opts.format === "jpeg") {
    const encoded = jpeg.encode({ data: pixels, width: CANVAS_WIDTH, height: CANVAS_HEIGHT }, 92);
    return Buffer.from(encoded.data);
  }
  const png = new PNG({ width: CANVAS_WIDTH, height: CANVAS_HEIGHT });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return PNG.sync.write(png);
}
