/** Who is calling, once a dialect's auth scheme has vouched for them. */
export interface Principal {
  name: string;
  roles: string[];
  /** May read but not mutate. */
  readOnly: boolean;
}
