import { Request, Response } from 'express';
import { Tickets } from '../auth';
import { parseLogin } from '../parse';

/** GET or POST /api/Login: credentials in the query string, a form or a JSON body. */
export function login(tickets: Tickets) {
  return (req: Request, res: Response): void => {
    const { username, password } = parseLogin(req.query as Record<string, unknown>, req.body);
    const ticket = tickets.login(username, password);
    res.json({ result: 'ok', ticket });
  };
}
