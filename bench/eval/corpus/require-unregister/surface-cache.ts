// Images backed by native pixel surfaces, with a FinalizationRegistry as a leak backstop. A
// registration without an unregister token (or whose token close never unregisters) stays
// armed after dispose(): the finalizer later reports (and in real addons frees) a pointer that
// was already freed, and maybe reused (NODE-FACTS §6).
import { allocatedBytes, noteLeak, Surface } from 'pixbuf-native';

const leaks = new FinalizationRegistry<bigint>(ptr => noteLeak(ptr));
const thumbnails = new FinalizationRegistry<string>(name => console.debug(`thumbnail ${name} collected`));

export class Image {
  readonly #surface: Surface;
  #disposed = false;

  constructor(width: number, height: number) {
    this.#surface = Surface.create(width, height);
    leaks.register(this, this.#surface.ptr); // expect: require-unregister
  }

  get bytes(): number {
    return allocatedBytes(this.#surface.ptr);
  }

  fill(rgba: number): void {
    if (this.#disposed) throw new Error('image disposed');
    this.#surface.fill(rgba);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#surface.free();
  }
}

/** The pattern NODE-FACTS §6 recommends: `register(this, ptr, this)` and unregister in close. */
export class TrackedImage {
  readonly #surface: Surface;
  #disposed = false;

  constructor(width: number, height: number) {
    this.#surface = Surface.create(width, height);
    leaks.register(this, this.#surface.ptr, this);
  }

  fill(rgba: number): void {
    if (!this.#disposed) this.#surface.fill(rgba);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    leaks.unregister(this);
    this.#surface.free();
  }
}

/** Registers with a token, but dispose() never passes it to unregister. */
export class TokenImage {
  readonly #surface: Surface;
  #disposed = false;

  constructor(width: number, height: number) {
    this.#surface = Surface.create(width, height);
    const ptr = this.#surface.ptr;
    leaks.register(this, ptr, this); // expect: require-unregister
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#surface.free();
  }
}

/** A separate token object, unregistered in the close method. */
export class LayerImage {
  readonly #surface: Surface;
  readonly #token = {};
  #disposed = false;

  constructor(width: number, height: number) {
    this.#surface = Surface.create(width, height);
    leaks.register(this, this.#surface.ptr, this.#token);
  }

  compose(top: Surface): void {
    if (!this.#disposed) this.#surface.blit(top, 0, 0);
  }

  [Symbol.dispose](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    leaks.unregister(this.#token);
    this.#surface.free();
  }
}

/** Any object can carry a surface; the registration holds the surface's raw pointer. */
export function trackSurface(owner: object, surface: Surface): void {
  leaks.register(owner, surface.ptr); // expect: require-unregister
}

/** A thumbnail is plain data (no native resource): a label registration is out of scope. */
export class Thumbnail {
  constructor(
    readonly name: string,
    readonly png: Buffer,
  ) {
    thumbnails.register(this, name);
  }
}

export async function renderThumbnail(name: string, width: number, height: number): Promise<Thumbnail> {
  const surface = Surface.create(width, height);
  try {
    surface.fill(0xffffffff);
    return new Thumbnail(name, await surface.encodePng());
  } finally {
    surface.free();
  }
}
