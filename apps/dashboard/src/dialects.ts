/** The dialect names the gateway journals and matches fault rules by, with a colour each for charts. */
export const DIALECTS = ['omnistack', 'lustre', 'nova-identity', 'nova', 'eco4cloud', 'heketi'] as const;

const COLORS: Record<string, string> = {
  omnistack: '#2563eb',
  lustre: '#7c3aed',
  'nova-identity': '#db2777',
  nova: '#ea580c',
  eco4cloud: '#16a34a',
  heketi: '#0891b2',
};

export function dialectColor(name: string): string {
  return COLORS[name] ?? '#64748b';
}
