/**
 * The JSON documents of the Redfish mock, in sushy-tools' shapes (templates root, system_collection, system),
 * trimmed to what fence agents and Redfish clients read.
 */
import { createHash } from 'node:crypto';
import type { BmcNode, ChassisPower } from '../backend.js';
import { ALLOWABLE_RESET_TYPES } from './reset-types.js';
import type { RedfishSession } from './sessions.js';

export const ROOT_URI = '/redfish/v1/';
export const SYSTEMS_URI = '/redfish/v1/Systems';
export const SESSION_SERVICE_URI = '/redfish/v1/SessionService';
export const SESSIONS_URI = '/redfish/v1/SessionService/Sessions';

type Json = Record<string, unknown>;

/** URI of a node's System resource. */
export function systemUri(name: string): string {
  return `${SYSTEMS_URI}/${encodeURIComponent(name)}`;
}

/** URI of a node's Reset action (the `target` fence_redfish POSTs to). */
export function resetTargetUri(name: string): string {
  return `${systemUri(name)}/Actions/ComputerSystem.Reset`;
}

/** URI of a session resource. */
export function sessionUri(id: string): string {
  return `${SESSIONS_URI}/${id}`;
}

/** A stable UUID derived from a name (SHA-1 name-based layout), so documents are identical across runs. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`ihasim-redfish:${name}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `GET /redfish` — the version document. */
export function versionsDocument(): Json {
  return { v1: ROOT_URI };
}

/** `GET /redfish/v1/` — the service root (no authentication needed). */
export function serviceRootDocument(): Json {
  return {
    '@odata.type': '#ServiceRoot.v1_5_0.ServiceRoot',
    Id: 'RootService',
    Name: 'ihasim Redfish Service',
    RedfishVersion: '1.5.0',
    UUID: nameUuid('service-root'),
    Systems: { '@odata.id': SYSTEMS_URI },
    SessionService: { '@odata.id': SESSION_SERVICE_URI },
    Links: { Sessions: { '@odata.id': SESSIONS_URI } },
    '@odata.context': '/redfish/v1/$metadata#ServiceRoot.ServiceRoot',
    '@odata.id': ROOT_URI,
  };
}

/** A collection document listing `uris`. */
function collection(type: string, name: string, uri: string, uris: readonly string[]): Json {
  return {
    '@odata.type': `#${type}.${type}`,
    Name: name,
    'Members@odata.count': uris.length,
    Members: uris.map((u) => ({ '@odata.id': u })),
    '@odata.context': `/redfish/v1/$metadata#${type}.${type}`,
    '@odata.id': uri,
  };
}

/** `GET /redfish/v1/Systems` — the systems the caller's credentials open. */
export function systemCollectionDocument(nodes: readonly BmcNode[]): Json {
  const uris = nodes.map((n) => systemUri(n.name));
  return collection('ComputerSystemCollection', 'Computer System Collection', SYSTEMS_URI, uris);
}

/** `GET /redfish/v1/Systems/<node>` — PowerState and the Reset action. */
export function systemDocument(node: BmcNode, power: ChassisPower): Json {
  return {
    '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
    Id: node.name,
    Name: node.name,
    UUID: nameUuid(`system:${node.name}`),
    SystemType: 'Physical',
    PowerState: power === 'on' ? 'On' : 'Off',
    Status: { State: 'Enabled', Health: 'OK' },
    Boot: { BootSourceOverrideEnabled: 'Continuous' },
    Links: {},
    Actions: {
      '#ComputerSystem.Reset': {
        target: resetTargetUri(node.name),
        'ResetType@Redfish.AllowableValues': [...ALLOWABLE_RESET_TYPES],
      },
    },
    '@odata.context': '/redfish/v1/$metadata#ComputerSystem.ComputerSystem',
    '@odata.id': systemUri(node.name),
  };
}

/** `GET /redfish/v1/SessionService`. */
export function sessionServiceDocument(): Json {
  return {
    '@odata.type': '#SessionService.v1_1_8.SessionService',
    Id: 'SessionService',
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: 1800,
    Sessions: { '@odata.id': SESSIONS_URI },
    '@odata.context': '/redfish/v1/$metadata#SessionService.SessionService',
    '@odata.id': SESSION_SERVICE_URI,
  };
}

/** `GET /redfish/v1/SessionService/Sessions` — the caller's own sessions. */
export function sessionCollectionDocument(sessions: readonly RedfishSession[]): Json {
  const uris = sessions.map((s) => sessionUri(s.id));
  return collection('SessionCollection', 'Session Collection', SESSIONS_URI, uris);
}

/** A session resource (never the password or the token). */
export function sessionDocument(session: RedfishSession): Json {
  return {
    '@odata.type': '#Session.v1_0_0.Session',
    Id: session.id,
    Name: 'User Session',
    UserName: session.credentials.username,
    '@odata.context': '/redfish/v1/$metadata#Session.Session',
    '@odata.id': sessionUri(session.id),
  };
}

/** `GET /redfish/v1/odata` — the OData service document (no authentication needed). */
export function odataServiceDocument(): Json {
  const entries: Array<[string, string]> = [
    ['Service', ROOT_URI],
    ['Systems', SYSTEMS_URI],
    ['SessionService', SESSION_SERVICE_URI],
    ['Sessions', SESSIONS_URI],
  ];
  return {
    '@odata.context': '/redfish/v1/$metadata',
    value: entries.map(([name, url]) => ({ name, kind: 'Singleton', url })),
  };
}

/** `GET /redfish/v1/$metadata` — a minimal CSDL document referencing the DMTF schemas used. */
export function metadataDocument(): string {
  const refs = ['ServiceRoot_v1', 'ComputerSystemCollection', 'ComputerSystem_v1', 'SessionService_v1',
    'SessionCollection', 'Session_v1'];
  const body = refs
    .map((r) => `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${r}.xml">\n` +
      `    <edmx:Include Namespace="${r.replace(/_v1$/, '')}"/>\n  </edmx:Reference>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" ` +
    `Version="4.0">\n${body}\n  <edmx:DataServices>\n    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" ` +
    `Namespace="Service">\n      <EntityContainer Name="Service" Extends="ServiceRoot.v1_5_0.ServiceContainer"/>\n` +
    `    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n`;
}
