/** Every row has a UUID and an integer sequence number: dialects render whichever id form their vendor uses. */
export interface Entity {
  id: string;
  seq: number;
  createdAt: Date;
  updatedAt: Date;
}

export type Tags = Record<string, string>;
