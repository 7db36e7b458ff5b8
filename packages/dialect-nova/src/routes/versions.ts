import { Router } from 'express';
import { computeBase } from '../context';
import { computeVersionDocument, computeVersions } from '../render';

/** Unauthenticated version documents: GET / (the list) and GET /v2.1 with or without the slash. */
export function computeVersionRoutes(router: Router): void {
  router.get('/', (req, res) => {
    res.json(computeVersions(computeBase(req)));
  });
}

export function computeV21DocumentRoute(router: Router): void {
  router.get('/', (req, res) => {
    res.json(computeVersionDocument(computeBase(req)));
  });
}
