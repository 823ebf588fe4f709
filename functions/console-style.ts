// GET /console/style.css: the stylesheet every page links (shared/stylesheet.ts). Asked for by its
// version, browsers keep it for a year; asked for by any other, they get it but keep nothing, so
// that no URL of a past version ever caches the present one under it.
import { cacheImmutably, createApp } from '#http/app.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { STYLESHEET_PATH, STYLESHEET_VERSION } from '#shared/html.ts';
import { STYLESHEET } from '#shared/stylesheet.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: its stylesheet',
    description:
      "The pages' one stylesheet, which each links as `/console/style.css?v=<version>`: with this deployment's version, kept by browsers for a year (`immutable`); with none or another, `no-store`.",
    query: { v: { description: "The stylesheet's version, as the pages link it" } },
    responses: { 200: 'The stylesheet' },
    text: 'text/css',
  },
};

export const app = createApp().get(STYLESHEET_PATH, (c) => {
  if (c.req.query('v') === STYLESHEET_VERSION) cacheImmutably(c);
  return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
});

export const handler = handle(app);
