/**
 * Face vectors of a collection in one contiguous Float32Array, so a search is a
 * tight scan over memory rather than a walk over 100,000 objects. Removal moves the
 * last row into the hole, keeping the rows dense.
 */
export class VectorIndex {
  private dim = 0;
  private data = new Float32Array(0);
  private readonly ids: string[] = [];
  private readonly rows = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  add(id: string, vector: Float32Array): void {
    if (this.dim === 0) this.dim = vector.length;
    if (vector.length !== this.dim)
      throw new Error(`vector of length ${vector.length} in an index of ${this.dim}`);
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dim > this.data.length) {
        const grown = new Float32Array(Math.max(1024 * this.dim, this.data.length * 2));
        grown.set(this.data);
        this.data = grown;
      }
      this.ids.push(id);
      this.rows.set(id, row);
    }
    this.data.set(vector, row * this.dim);
  }

  remove(id: string): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      const movedId = this.ids[last]!;
      this.data.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.ids[row] = movedId;
      this.rows.set(movedId, row);
    }
    this.ids.pop();
    this.rows.delete(id);
  }

  /** Calls `visit` for every vector whose dot product with `query` is at least `minDot`. */
  scan(query: Float32Array, minDot: number, visit: (id: string, dot: number) => void): void {
    const { dim, data, ids } = this;
    if (query.length !== dim) return;
    for (let row = 0, base = 0; row < ids.length; row++, base += dim) {
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += query[i]! * data[base + i]!;
      if (dot >= minDot) visit(ids[row]!, dot);
    }
  }
}
