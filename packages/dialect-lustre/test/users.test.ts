import request from 'supertest';
import { login, lustreApp } from './helpers';

/** /api/user/ as IML's test_user_management drives it: superuser CRUD, self-service password change. */
describe('user accounts', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let admin: { cookie: string; csrf: string };
  const as = (auth: { cookie: string; csrf: string }) => ({
    get: (path: string) => request(env.app).get(`/lustre/api/${path}`).set('Cookie', auth.cookie),
    post: (path: string, body: unknown) =>
      request(env.app).post(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).set('Content-Type', 'application/json').send(JSON.stringify(body)),
    put: (path: string, body: unknown) => request(env.app).put(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('Content-Type', 'application/json').send(JSON.stringify(body)),
    del: (path: string) => request(env.app).delete(`/lustre/api/${path}`).set('Cookie', auth.cookie),
  });

  beforeAll(async () => {
    env = await lustreApp();
    admin = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  let created: { id: number; resource_uri: string };
  it('creates a user (201, Location, groups, no password in the answer)', async () => {
    const res = await as(admin).post('user/', {
      username: 'alice',
      password1: 'wonder-land',
      password2: 'wonder-land',
      groups: ['/lustre/api/group/2/'],
      first_name: 'Alice',
      last_name: 'Liddell',
      email: 'alice@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`/lustre/api/user/${res.body.id}/$`));
    expect(res.body).toMatchObject({
      username: 'alice',
      full_name: 'Alice Liddell',
      is_superuser: false,
      groups: [{ id: 2, name: 'filesystem_administrators', resource_uri: '/lustre/api/group/2/' }],
      password1: null,
      password2: null,
      new_password1: null,
      new_password2: null,
    });
    expect(res.text).not.toContain('wonder-land');
    created = res.body;
    // The account is a row: its hash is salted and not the password.
    const row = (await env.rt.services.lustreAdmin.users.list({ filter: { field: 'username', op: 'eq', value: 'alice' } }))[0];
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain('wonder-land');
    const listed = (await as(admin).get('user/?order_by=-username&limit=0')).body;
    expect(listed.objects.map((u: { username: string }) => u.username)).toEqual(['viewer', 'alice', 'admin']);
  });

  it('answers Django form errors under the resource name', async () => {
    const empty = await as(admin).post('user/', {});
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ user: { password1: ['This field is required.'], password2: ['This field is required.'], username: ['This field is required.'] } });
    const mismatch = await as(admin).post('user/', { username: 'bob', password1: 'a', password2: 'b' });
    expect(mismatch.body).toEqual({ user: { password2: ["The two password fields didn't match."] } });
    const taken = await as(admin).post('user/', { username: 'alice', password1: 'a', password2: 'a' });
    expect(taken.body).toEqual({ user: { username: ['A user with that username already exists.'] } });
    const chars = await as(admin).post('user/', { username: 'no spaces', password1: 'a', password2: 'a', email: 'nope' });
    expect(chars.body).toEqual({ user: { email: ['Enter a valid email address.'], username: ['This value may contain only letters, numbers and @/./+/-/_ characters.'] } });
    const group = await as(admin).post('user/', { username: 'bob', password1: 'a', password2: 'a', groups: ['/lustre/api/group/99/'] });
    expect(group.status).toBe(400);
    expect(Object.keys(group.body.user)).toEqual(['groups']);
  });

  it('lets the new user log in, see only themselves, and change their own password', async () => {
    const alice = await login(env.app, 'alice', 'wonder-land');
    expect(alice.res.status).toBe(201);
    const mine = (await as(alice).get('user/')).body;
    expect(mine.objects.map((u: { username: string }) => u.username)).toEqual(['alice']);
    expect((await as(alice).get('user/1/')).status).toBe(404);
    const wrongOld = await as(alice).put(`user/${created.id}/`, { id: created.id, old_password: 'guess', new_password1: 'looking-glass', new_password2: 'looking-glass' });
    expect(wrongOld.body).toEqual({ user: { old_password: ['Your old password was entered incorrectly. Please enter it again.'] } });
    const mismatch = await as(alice).put(`user/${created.id}/`, { id: created.id, old_password: 'wonder-land', new_password1: 'x', new_password2: 'y' });
    expect(mismatch.body).toEqual({ user: { new_password2: ["The two password fields didn't match."] } });
    const changed = await as(alice).put(`user/${created.id}/`, { id: created.id, old_password: 'wonder-land', new_password1: 'looking-glass', new_password2: 'looking-glass' });
    expect(changed.status).toBe(200);
    expect(changed.body.new_password1).toBeNull();
    expect((await login(env.app, 'alice', 'wonder-land')).res.status).toBe(403);
    expect((await login(env.app, 'alice', 'looking-glass')).res.status).toBe(201);
    // Groups are the superusers' to change; sending the same ones is fine.
    const promote = await as(alice).put(`user/${created.id}/`, { id: created.id, groups: ['/lustre/api/group/1/'] });
    expect(promote.status).toBe(403);
    const same = await as(alice).put(`user/${created.id}/`, { id: created.id, groups: [{ id: 2 }], first_name: 'Al' });
    expect(same.status).toBe(200);
    expect(same.body.full_name).toBe('Al Liddell');
    expect((await as(alice).put(`user/${created.id}/`, { first_name: 'x' })).body).toEqual({ user: { id: ['id attribute is mandatory'] } });
    // Only superusers create or delete accounts.
    expect((await as(alice).post('user/', { username: 'eve', password1: 'a', password2: 'a' })).status).toBe(401);
    expect((await as(alice).del('user/1/')).status).toBe(401);
  });

  it('keeps alert subscriptions per user, one\'s own unless a superuser', async () => {
    const alice = await login(env.app, 'alice', 'looking-glass');
    const mine = await as(alice).post('alert_subscription/', { user: created.resource_uri, alert_type: '/lustre/api/alert_type/hostofflinealert/' });
    expect(mine.status).toBe(201);
    expect(mine.headers.location).toMatch(/\/lustre\/api\/alert_subscription\/\d+\/$/);
    const others = await as(alice).post('alert_subscription/', { user: '/lustre/api/user/1/', alert_type: '/lustre/api/alert_type/hostofflinealert/' });
    expect(others.body).toEqual({ alert_subscription: { user: ["Only superusers may change other users' subscriptions."] } });
    expect((await as(alice).post('alert_subscription/', { alert_type: '/lustre/api/alert_type/hostofflinealert/' })).body).toEqual({ alert_subscription: { user: ['Missing or malformed user parameter'] } });
    expect((await as(alice).post('alert_subscription/', { user: created.resource_uri, alert_type: '/lustre/api/alert_type/nosuchalert/' })).status).toBe(400);
    expect((await as(alice).post('alert_subscription/', { user: created.resource_uri, alert_type: '/lustre/api/alert_type/hostofflinealert/' })).body).toEqual({
      alert_subscription: { __all__: ['Alert subscription with this User and Alert type already exists.'] },
    });
    await as(admin).post('alert_subscription/', { user: '/lustre/api/user/1/', alert_type: '/lustre/api/alert_type/targetfailoveralert/' });
    expect((await as(alice).get('alert_subscription/')).body.objects.map((x: { alert_type: { id: string } }) => x.alert_type.id)).toEqual(['hostofflinealert']);
    expect((await as(admin).get('alert_subscription/')).body.meta.total_count).toBe(2);
    expect((await request(env.app).get('/lustre/api/alert_subscription/')).body.meta.total_count).toBe(0);
    const me = (await as(alice).get('session/')).body.user;
    expect(me.alert_subscriptions).toEqual([
      { alert_type: { description: 'Host offline', id: 'hostofflinealert', resource_uri: '/lustre/api/alert_type/hostofflinealert/' }, id: expect.any(Number), resource_uri: expect.any(String), user: created.resource_uri },
    ]);
    const adminSub = (await as(admin).get('alert_subscription/?limit=0')).body.objects.find((x: { user: string }) => x.user === '/lustre/api/user/1/');
    expect((await as(alice).del(adminSub.resource_uri.replace('/lustre/api/', ''))).status).toBe(404);
    expect((await as(admin).del(adminSub.resource_uri.replace('/lustre/api/', ''))).status).toBe(204);
  });

  it('lets a superuser reset a password without the old one, and delete accounts but not itself', async () => {
    const reset = await as(admin).put(`user/${created.id}/`, { id: created.id, new_password1: 'rabbit-hole', new_password2: 'rabbit-hole' });
    expect(reset.status).toBe(200);
    expect((await login(env.app, 'alice', 'rabbit-hole')).res.status).toBe(201);
    const alice = await login(env.app, 'alice', 'rabbit-hole');
    const me = (await as(admin).get('session/')).body.user;
    expect((await as(admin).del(`user/${me.id}/`)).body).toEqual({ id: ['Cannot delete currently authenticated user'] });
    expect((await as(admin).del(`user/${created.id}/`)).status).toBe(204);
    expect((await as(admin).get(`user/${created.id}/`)).status).toBe(404);
    // The deleted account's session ends with it.
    expect((await as(alice).get('session/')).body.user).toBeNull();
    expect((await as(admin).del('user/999999/')).status).toBe(404);
    expect((await as(admin).del('user/abc/')).status).toBe(404);
  });

  it('shows anonymous clients no accounts and refuses their writes', async () => {
    expect((await request(env.app).get('/lustre/api/user/')).body.meta.total_count).toBe(0);
    expect((await request(env.app).put('/lustre/api/user/1/').send({ id: 1 })).status).toBe(401);
  });
});
