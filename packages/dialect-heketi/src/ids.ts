/** Heketi ids are 32 lower-case hex digits: a core UUID without its dashes. */
export const hexId = (uuid: string): string => uuid.replace(/-/g, '');

/** The core UUID behind a Heketi id, or undefined for anything Heketi could not have issued. */
export function coreId(hex: string): string | undefined {
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Heketi lists ids sorted as strings (BoltDB key order). */
export const sortedHex = (uuids: string[]): string[] => uuids.map(hexId).sort();
