// Deterministic randomness for the benchmark generators: same seed, same bytes (no Date, no Math.random).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tools(seed) {
  const random = rng(seed);
  const int = (n) => Math.floor(random() * n);
  return {
    random,
    int,
    pick: (list) => list[int(list.length)],
    digits: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += String(int(10));
      return s;
    },
    chance: (p) => random() < p,
  };
}

const UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
export const uaiOf = (seven) => seven + UAI_LETTERS[Number.parseInt(seven, 10) % 23];
