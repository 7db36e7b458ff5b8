import { NextFunction, Request, Response } from 'express';
import { Clock, CoreError, FaultPolicy } from '@rosetta/core';

/**
 * The one place every dialect request passes for fault injection and latency. Delays
 * elapse on the domain clock; errors go through the dialect's own renderer; a drop closes
 * the socket without an answer, as a dying appliance would.
 */
export function faultSeam(dialect: string, faults: FaultPolicy, clock: Clock) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const effects = await faults.forRequest({ dialect, method: req.method, path: req.path });
    for (const effect of effects) {
      switch (effect.type) {
        case 'delay':
          await clock.sleep(effect.ms);
          break;
        case 'error':
          return next(new CoreError(effect.code, effect.message, { reason: 'injected' }));
        case 'drop':
          req.socket.destroy();
          return;
        case 'fail_step':
          break;
      }
    }
    next();
  };
}
