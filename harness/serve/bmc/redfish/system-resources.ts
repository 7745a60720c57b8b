/**
 * The service root, discovery documents, the Systems collection, each System and its Reset action.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BmcNode } from '../backend.js';
import { findRedfishNode, mayAccess, redfishNodes } from './auth.js';
import {
  metadataDocument,
  odataServiceDocument,
  serviceRootDocument,
  systemCollectionDocument,
  systemDocument,
  versionsDocument,
} from './documents.js';
import { redfishError } from './errors.js';
import { parseResetBody } from './reset-types.js';
import { requestPath, type RedfishContext, type Resource } from './resource.js';

/** The node named by the `:systemId` route parameter; 404 when there is no such Redfish node. */
export function systemOf(request: FastifyRequest, ctx: RedfishContext): BmcNode {
  const node = findRedfishNode(ctx.backend, systemIdParam(request));
  if (!node) throw redfishError('resourceMissing', [requestPath(request.url)]);
  return node;
}

/** The raw `:systemId` parameter ('' when absent). */
export function systemIdParam(request: FastifyRequest): string {
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.['systemId'];
  return typeof id === 'string' ? id : '';
}

async function postReset(request: FastifyRequest, reply: FastifyReply, ctx: RedfishContext): Promise<FastifyReply> {
  const node = systemOf(request, ctx);
  const { resetType, action } = parseResetBody(request.body);
  request.log.info({ node: node.name, resetType, action }, 'redfish reset');
  await ctx.backend.powerAction(node.name, action, 'redfish');
  return reply.code(204).send();
}

/** Resources that describe the service and its systems. */
export function systemResources(): Resource[] {
  return [
    { url: '/redfish', scope: 'public', methods: { GET: () => versionsDocument() } },
    { url: '/redfish/v1', scope: 'public', methods: { GET: () => serviceRootDocument() } },
    { url: '/redfish/v1/odata', scope: 'public', methods: { GET: () => odataServiceDocument() } },
    {
      url: '/redfish/v1/$metadata',
      scope: 'public',
      methods: { GET: (_req, reply) => reply.type('application/xml').send(metadataDocument()) },
    },
    {
      url: '/redfish/v1/Systems',
      scope: 'service',
      methods: {
        GET: (req, _reply, ctx) => {
          const principal = ctx.principal(req);
          return systemCollectionDocument(redfishNodes(ctx.backend).filter((n) => mayAccess(principal, n)));
        },
      },
    },
    {
      url: '/redfish/v1/Systems/:systemId',
      scope: 'system',
      methods: {
        GET: (req, _reply, ctx) => {
          const node = systemOf(req, ctx);
          return systemDocument(node, ctx.backend.power(node.name));
        },
      },
    },
    {
      url: '/redfish/v1/Systems/:systemId/Actions/ComputerSystem.Reset',
      scope: 'system',
      methods: { POST: postReset },
    },
  ];
}
