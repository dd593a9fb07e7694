import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { activations } from '../activations/registry.js';
import { documentActivationParameters } from '../openapi/activation-parameters.js';
import { documentCommonResponses, HTTP_LAYER_NOTE, keepResponseHeaders } from '../openapi/common-responses.js';
import { nameRequestBodies } from '../openapi/request-bodies.js';
import { tidyComponents } from '../openapi/tidy-components.js';
import { serviceVersion } from '../version.js';

/** The OpenAPI 3.1 document, generated from the routes' zod schemas, and Swagger UI at /docs. */
/** Where Swagger UI's page and assets are served. */
export const DOCS_PREFIX = '/docs';

export default fp(async (app) => {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'activation-lab',
        version: serviceVersion,
        summary: 'Activation functions and the vanishing gradient problem, as a service.',
        description:
          `Evaluate the ${activations.length} activation functions of the modern catalogue (PyTorch names, defaults and corner conventions) with their derivatives in float64 batches. Every error is an RFC 9457 \`application/problem+json\` body. The API needs no authentication: it holds no user data and every request is bounded in size and cost.${HTTP_LAYER_NOTE}`,
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'activation-lab maintainers' },
      },
      // Relative: Swagger UI's "Try it out" calls whichever host serves the document.
      servers: [{ url: '/', description: 'The instance serving this document.' }],
      // Deliberately public: no security scheme applies to any operation.
      security: [],
      tags: [
        { name: 'activations', description: 'The activation catalogue and batch evaluation.' },
        { name: 'simulations', description: 'Gradient propagation through feed-forward and recurrent networks.' },
        { name: 'training', description: 'Training networks with the gradient at every layer recorded while they learn.' },
        { name: 'jobs', description: 'Long work as jobs: simulations, training and sweeps over many points, run on the service\'s worker pool and followed as Server-Sent Events.' },
        { name: 'theory', description: 'Mean-field predictions for infinitely wide random networks: fixed points, χ₁, depth scales, phase diagrams.' },
        { name: 'pictures', description: 'Charts as SVG (or PNG): activations, gradient flow, phase diagrams, spectra.' },
        { name: 'operations', description: 'Health probes and the API description.' },
      ],
    },
    transform: (route) => keepResponseHeaders(route, jsonSchemaTransform(route)),
    transformObject: (document) => nameRequestBodies(tidyComponents(documentActivationParameters(documentCommonResponses(jsonSchemaTransformObject(document))))),
  });

  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true },
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
