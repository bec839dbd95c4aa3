import type { FastifyInstance } from 'fastify';
import type { Canvass } from '../../services/canvass.js';

/**
 * Read-only endpoints that exist for the web site's views. Everything here must be computed from the in-memory
 * projection and cached per results version (see ResultsService), never a database query per page view.
 */
export function registerWebRoutes(api: FastifyInstance, canvass: Canvass): void {
  void api;
  void canvass;
}
