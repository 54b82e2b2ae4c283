#!/usr/bin/python3
"""Test-only Redfish BMC emulator: many HTTPS BMCs in one process, each with a vendor
personality (generic, idrac, ilo, xcc, supermicro), injectable faults and a control API
under /_emulator/. Standard library only; certificates come from the openssl tool.
See README.md beside this file for the contract."""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STOP = threading.Event()
BASE = 'Base.1.8.'
MIB = 1 << 20
MAX_BODY = 64 * MIB        # larger request bodies are drained and refused
UPLOAD_LIMIT = 50 * MIB    # XCC RDOC image size limit
FETCH_LIMIT = 256 * MIB    # virtual media fetch reads at most this much
FETCH_TIMEOUT = 10.0
TASK_SECONDS = 1.5
RESET_TYPES = ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart', 'GracefulRestart',
               'PowerCycle', 'Nmi', 'PushPowerButton']
BOOT_ENABLED = ['Disabled', 'Once', 'Continuous']
BOOT_MODES = ['UEFI', 'Legacy']
INSERT_PARAMS = {'Image', 'Inserted', 'WriteProtected', 'TransferProtocolType',
                 'TransferMethod', 'UserName', 'Password', 'MediaType'}
TRANSFER_PROTOCOLS = ['CIFS', 'FTP', 'SFTP', 'HTTP', 'HTTPS', 'NFS', 'SCP', 'TFTP', 'OEM']
RDOC_PREFIX = 'file:///gpx/rdocupload/'


# --- personalities ------------------------------------------------------------------------

def slot(id_, types, actions=True, patch=False, kind='url', licensed=False):
    return dict(id=id_, types=types, actions=actions, patch=patch, kind=kind, licensed=licensed)


DEFAULTS = dict(
    manager='1', chassis='1', vm_under='manager', model='BMC', firmware='1.00',
    boot_targets=['None', 'Pxe', 'Cd', 'Usb', 'Hdd', 'BiosSetup', 'UefiHttp'],
    session_limit=(503, BASE + 'SessionLimitExceeded',
                   'The session establishment failed due to the number of simultaneous '
                   'sessions exceeding the limit of the implementation.'),
    weak_etag=False,            # ETags sent as W/"x"; If-Match needs the strong form
    system_if_match=False,      # PATCH System without If-Match -> 428
    post_window=0.0,            # seconds after power-on/reset during which Boot PATCH fails
    success_body=False,         # actions and PATCH answer 200 + iLO-style body, not 204
    eject_needs_body=None,      # status for EjectMedia without a JSON body
    eject_empty_error=None,     # MessageId for ejecting an empty slot (400)
    insert_params=INSERT_PARAMS, insert_required=('Image',),
    transfer_protocols=TRANSFER_PROTOCOLS,
    patch_needs_inserted=False,  # PATCH with Image must carry Inserted: true
    boot_needs_enabled=False,    # every Boot PATCH must carry BootSourceOverrideEnabled
    max_mounts=None, uploads=False, hpe_oem=False)

PERSONALITIES = {
    'generic': dict(
        vendor='Contoso', product='Contoso Rack Server', system='1', manager='BMC',
        model='Contoso BMC', firmware='1.2.3', vm_under='system',
        slots=[slot('CD1', ['CD', 'DVD'], patch=True), slot('USB1', ['USBStick'], patch=True)]),
    'idrac': dict(
        vendor='Dell', product='Integrated Dell Remote Access Controller',
        system='System.Embedded.1', manager='iDRAC.Embedded.1', chassis='System.Embedded.1',
        model='iDRAC 9', firmware='6.10.30.00', vm_under='system',
        slots=[slot('1', ['CD', 'DVD']), slot('2', ['USBStick'])],
        session_limit=(400, 'IDRAC.2.8.RAC0218', 'The maximum number of user sessions is reached'),
        eject_needs_body=400),
    'ilo': dict(
        vendor='HPE', product='ProLiant DL360 Gen10 Plus', system='1', model='iLO 5',
        firmware='2.78', slots=[slot('1', ['Floppy', 'USBStick'], patch=True),
                                slot('2', ['CD', 'DVD'], patch=True)],
        weak_etag=True, system_if_match=True, post_window=2.0, success_body=True,
        eject_needs_body=415, eject_empty_error='iLO.2.15.UnableToEjectMedia', hpe_oem=True),
    'xcc': dict(
        vendor='Lenovo', product='ThinkSystem SR650', system='1', model='XClarity Controller 2',
        firmware='4.10', patch_needs_inserted=True, max_mounts=4, uploads=True,
        slots=[slot(f'EXT{i}', ['CD', 'DVD', 'USBStick'], actions=False, patch=True,
                    licensed=True) for i in range(1, 5)]
        + [slot(f'RDOC{i}', ['CD', 'DVD', 'USBStick'], actions=False, patch=True, kind='rdoc')
           for i in (1, 2)]),
    'supermicro': dict(
        vendor='Supermicro', product='X12DPi-NT6', system='1', model='X12DPi-NT6 BMC',
        firmware='01.01.10',
        slots=[slot('CD1', ['CD', 'DVD']), slot('USB1', ['USBStick'], actions=False)],
        insert_params=INSERT_PARAMS - {'Inserted', 'WriteProtected'},
        insert_required=('Image', 'TransferProtocolType'),
        transfer_protocols=['HTTP', 'HTTPS', 'CIFS', 'NFS'],
        boot_targets=['None', 'Pxe', 'UsbCd', 'Hdd', 'BiosSetup', 'UefiHttp'],
        boot_needs_enabled=True),
}


class P:  # attribute view of one personality merged over DEFAULTS
    def __init__(self, name):
        self.__dict__.update(DEFAULTS, **PERSONALITIES[name], name=name)


# --- faults -------------------------------------------------------------------------------

def _flag(v):
    return v is None or v is True or str(v).lower() in ('1', 'true', 'yes', 'on')


def _count(v):
    return 'always' if str(v).lower() == 'always' else int(v)


FAULTS = {'slow': float, 'error500': _count, 'badjson': _flag, 'noslots': _flag,
          'certchange': _flag, 'hang': _flag, 'tasks': _flag, 'sys518': int, 'nolicense': _flag}


def parse_faults(d):
    out = {}
    for k, v in d.items():
        if k not in FAULTS:
            raise ValueError(f"unknown fault '{k}'")
        v = FAULTS[k](v)
        if v not in (False, 0):
            out[k] = v
    return out


# --- responses and errors -----------------------------------------------------------------

class Resp:
    def __init__(self, status, body=None, headers=None):
        self.status, self.body, self.headers = status, body, dict(headers or {})

    def payload(self):
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body, indent=1).encode()
        return self.body or b''


class Fail(Exception):
    def __init__(self, resp):
        super().__init__(resp.status)
        self.resp = resp


def msg(msg_id, text, args=()):
    return {'@odata.type': '#Message.v1_1_1.Message',
            'MessageId': msg_id if '.' in msg_id else BASE + msg_id, 'Message': text,
            'MessageArgs': [str(a) for a in args], 'Severity': 'Warning',
            'Resolution': 'Correct the request and resubmit it.'}


def err(status, msg_id, text, args=(), headers=None, infos=None):
    infos = infos or [msg(msg_id, text, args)]
    return Resp(status, {'error': {'code': BASE + 'GeneralError', 'message': text,
                                   '@Message.ExtendedInfo': infos}}, headers)


def fail(*a, **kw):
    raise Fail(err(*a, **kw))


def etag_of(body):
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


def utc_now():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


def ref(path):
    return {'@odata.id': path}


def collection(path, rtype, name, members):
    return {'@odata.id': path, '@odata.type': f'#{rtype}Collection.{rtype}Collection',
            'Name': name, 'Members': [ref(m) for m in members],
            'Members@odata.count': len(members)}


def basename(url):
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit('/', 1)[-1])


class Request:
    def __init__(self, method, path, headers, body, too_large=False):
        self.method, self.headers, self.body, self.too_large = method, headers, body, too_large
        p = urllib.parse.urlsplit(path).path
        self.path = p.rstrip('/') or '/'
        self.auth, self.session = 'none', None

    def json(self):
        if not self.body.strip():
            return {}
        try:
            v = json.loads(self.body)
        except ValueError:
            fail(400, 'MalformedJSON', 'The request body submitted was malformed JSON and '
                 'could not be parsed by the receiving service.')
        if not isinstance(v, dict):
            fail(400, 'MalformedJSON', 'The request body must be a JSON object.')
        return v


# --- virtual media fetch ------------------------------------------------------------------

def _client_tls():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    return ctx


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                     urllib.request.HTTPSHandler(context=_client_tls()))


def fetch(url):
    """GET the whole image like a BMC would; (bytes, sha256) or None on any failure."""
    if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):
        return None
    deadline, h, n = time.monotonic() + FETCH_TIMEOUT, hashlib.sha256(), 0
    try:
        req = urllib.request.Request(url, headers={'User-Agent': 'bmc-emulator-vmedia/1'})
        with OPENER.open(req, timeout=FETCH_TIMEOUT) as r:
            while n < FETCH_LIMIT:
                chunk = r.read(min(MIB, FETCH_LIMIT - n))
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
                if time.monotonic() > deadline:
                    return None
    except Exception:  # noqa: BLE001 - any failure is "unable to mount"
        return None
    return n, h.hexdigest()


def parse_multipart(ctype, body):
    """{field: (filename, bytes)} of a multipart/form-data body."""
    m = re.search(r'boundary="?([^";]+)"?', ctype or '')
    if not m or body is None:
        return {}
    out = {}
    for part in (b'\r\n' + body).split(b'\r\n--' + m.group(1).encode())[1:]:
        if part.startswith(b'--'):
            break
        head, _, data = part.partition(b'\r\n\r\n')
        disp = re.search(rb'content-disposition:([^\r\n]*)', head, re.I)
        if not disp:
            continue
        name = re.search(rb'\bname="([^"]*)"', disp.group(1))
        fname = re.search(rb'filename="([^"]*)"', disp.group(1))
        if name:
            out[name.group(1).decode()] = (fname.group(1).decode() if fname else None, data)
    return out


# --- one BMC ------------------------------------------------------------------------------

def blank_media():
    return dict(image=None, inserted=False, write_protected=True, inserted_by=None,
                session=None, fetched_bytes=None, fetched_sha256=None, boot_on_reset=False)


class Bmc:
    def __init__(self, cfg, workdir):
        self.name, self.port = cfg['name'], int(cfg['port'])
        self.p = P(cfg['personality'])
        self.user, self.password = cfg.get('user', 'admin'), cfg.get('password', 'secret')
        self.session_slots = int(cfg.get('session_slots', 4))
        self.default_timeout = int(cfg.get('session_timeout', 600))
        self.faults = parse_faults(cfg.get('faults', {}))
        self.lock = threading.RLock()
        self.log = LineLog(os.path.join(workdir, self.name + '.log'))
        self.uuid = str(uuid.uuid5(uuid.NAMESPACE_DNS, self.name + '.service'))
        self.sys_uuid = str(uuid.uuid5(uuid.NAMESPACE_DNS, self.name + '.system'))
        certs = os.path.join(workdir, 'certs', self.name)
        self.tls = {alt: tls_server_context(certs + alt) for alt in ('', '.alt')}
        self.cert_sha = {alt: cert_sha256(certs + alt + '.pem') for alt in ('', '.alt')}
        r = '/redfish/v1'
        self.sys, self.mgr = f'{r}/Systems/{self.p.system}', f'{r}/Managers/{self.p.manager}'
        self.chs = f'{r}/Chassis/{self.p.chassis}'
        self.vmc = (self.sys if self.p.vm_under == 'system' else self.mgr) + '/VirtualMedia'
        self.routes = self.build_routes()
        self.reset_state()

    def reset_state(self):
        with self.lock:
            self.power, self.resets, self.post_until = 'Off', 0, 0.0
            self.boot = dict(enabled='Disabled', target='None', mode='UEFI', uri=None)
            self.media = {s['id']: blank_media() for s in self.p.slots}
            self.uploads, self.sessions, self.tasks = {}, {}, {}
            self.session_timeout = self.default_timeout
            self.counters = dict(requests=0, logins=0, logouts=0, basic=0, token=0, by_path={})

    # -- plumbing
    def build_routes(self):
        s, m, v, r = self.sys, self.mgr, self.vmc, '/redfish/v1'
        table = [
            ('GET', '/redfish', self.get_versions),
            ('GET', r, self.get_root),
            ('GET', f'{r}/Systems', lambda rq: Resp(200, collection(
                f'{r}/Systems', 'ComputerSystem', 'Computer System Collection', [s]))),
            ('GET', s, lambda rq: self.tagged(self.system_body())),
            ('PATCH', s, self.patch_system),
            ('POST', s + '/Actions/ComputerSystem.Reset', self.act_reset),
            ('GET', f'{r}/Managers', lambda rq: Resp(200, collection(
                f'{r}/Managers', 'Manager', 'Manager Collection', [m]))),
            ('GET', m, lambda rq: self.tagged(self.manager_body())),
            ('GET', f'{r}/Chassis', lambda rq: Resp(200, collection(
                f'{r}/Chassis', 'Chassis', 'Chassis Collection', [self.chs]))),
            ('GET', self.chs, lambda rq: Resp(200, self.chassis_body())),
            ('GET', f'{r}/SessionService', lambda rq: Resp(200, self.session_service())),
            ('PATCH', f'{r}/SessionService', self.patch_session_service),
            ('GET', f'{r}/SessionService/Sessions', self.get_sessions),
            ('POST', f'{r}/SessionService/Sessions', self.login),
            ('GET', f'{r}/SessionService/Sessions/{{ID}}', self.get_session),
            ('DELETE', f'{r}/SessionService/Sessions/{{ID}}', self.logout),
            ('GET', v, lambda rq: Resp(200, collection(
                v, 'VirtualMedia', 'Virtual Media Services',
                [f'{v}/{x["id"]}' for x in self.slots()]))),
            ('GET', v + '/{ID}', self.get_vm),
            ('PATCH', v + '/{ID}', self.patch_vm),
            ('POST', v + '/{ID}/Actions/VirtualMedia.InsertMedia', self.act_insert),
            ('POST', v + '/{ID}/Actions/VirtualMedia.EjectMedia', self.act_eject),
            ('GET', f'{r}/TaskService', lambda rq: Resp(200, {
                '@odata.id': f'{r}/TaskService', '@odata.type': '#TaskService.v1_2_0.TaskService',
                'Id': 'TaskService', 'Name': 'Task Service', 'ServiceEnabled': True,
                'Tasks': ref(f'{r}/TaskService/Tasks')})),
            ('GET', f'{r}/TaskService/Tasks', lambda rq: Resp(200, collection(
                f'{r}/TaskService/Tasks', 'Task', 'Task Collection',
                [f'{r}/TaskService/Tasks/{t}' for t in self.tasks]))),
            ('GET', f'{r}/TaskService/Tasks/{{ID}}', lambda rq, tid: self.get_task(tid, False)),
            ('GET', f'{r}/TaskService/TaskMonitors/{{ID}}',
             lambda rq, tid: self.get_task(tid, True)),
        ]
        if self.p.uploads:
            table.append(('POST', '/rdoc_upload', self.rdoc_upload))
        return [(meth, re.compile(re.escape(pat).replace(re.escape('{ID}'), '([^/]+)')), fn)
                for meth, pat, fn in table]

    PUBLIC = {('GET', '/redfish'), ('GET', '/redfish/v1'),
              ('POST', '/redfish/v1/SessionService/Sessions')}

    def tls_context(self):
        return self.tls['.alt' if self.faults.get('certchange') else '']

    def begin(self, rq):
        """Count one Redfish request; returns the fault set in force for it."""
        with self.lock:
            c = self.counters
            c['requests'] += 1
            c['by_path'][rq.path] = c['by_path'].get(rq.path, 0) + 1
            return dict(self.faults)

    def handle(self, rq):
        try:
            self.injected_error()
            self.tick()
            return self.dispatch(rq)
        except Fail as f:
            return f.resp
        except Exception:  # noqa: BLE001 - a bug in the emulator must not kill the connection
            traceback.print_exc()
            return err(500, 'InternalError', 'emulator bug: see its stderr')

    def injected_error(self):
        with self.lock:
            for fault, status, msg_id, text in (
                    ('error500', 500, 'InternalError', 'The request failed due to an internal '
                     'service error.  The service is still operational.'),
                    ('sys518', 500, 'IDRAC.2.8.SYS518', 'iDRAC is not ready. The configuration '
                     'values cannot be accessed. Please retry after a few minutes.')):
                n = self.faults.get(fault)
                if n:
                    if n != 'always':
                        if n > 1:
                            self.faults[fault] = n - 1
                        else:
                            del self.faults[fault]
                    fail(status, msg_id, text)

    def dispatch(self, rq):
        method = 'GET' if rq.method == 'HEAD' else rq.method
        if (method, rq.path) not in self.PUBLIC:
            self.authenticate(rq)
        allowed = []
        for meth, rx, fn in self.routes:
            m = rx.fullmatch(rq.path)
            if m and meth == method:
                return fn(rq, *m.groups())
            if m:
                allowed.append(meth)
        if allowed:
            fail(405, 'OperationNotAllowed', f'{rq.method} is not allowed on {rq.path}',
                 headers={'Allow': ', '.join(allowed)})
        fail(404, 'ResourceMissingAtURI', f'The resource at the URI {rq.path} was not found.',
             [rq.path])

    def authenticate(self, rq):
        token = rq.headers.get('X-Auth-Token')
        auth = rq.headers.get('Authorization', '')
        with self.lock:
            if token is not None:
                sid = next((k for k, s in self.sessions.items() if s['token'] == token), None)
                if sid is None:
                    fail(401, 'NoValidSession', 'There is no valid session established with '
                         'the implementation.')
                self.sessions[sid]['last'] = time.monotonic()
                rq.auth, rq.session = 'token', sid
            elif auth:
                try:
                    kind, _, cred = auth.partition(' ')
                    user, _, pw = base64.b64decode(cred).decode().partition(':')
                    ok = kind.lower() == 'basic' and (user, pw) == (self.user, self.password)
                except ValueError:
                    ok = False
                if not ok:
                    fail(401, 'ResourceAtUriUnauthorized', 'While accessing the resource at '
                         f'{rq.path}, the service received an authorization error.', [rq.path])
                rq.auth = 'basic'
            else:
                fail(401, 'ResourceAtUriUnauthorized', 'Authentication is required.',
                     [rq.path], headers={'WWW-Authenticate': 'Basic realm="bmc"'})
            self.counters[rq.auth] += 1

    def tick(self):
        """Time passes: idle sessions expire, due tasks complete."""
        now = time.monotonic()
        with self.lock:
            for sid in [k for k, s in self.sessions.items()
                        if now - s['last'] > self.session_timeout]:
                self.drop_session(sid)
            for t in self.tasks.values():
                if t['state'] == 'Running' and now >= t['due']:
                    self.apply_reset(t['reset'])
                    t['state'], t['end'] = 'Completed', utc_now()

    def tagged(self, body, headers=None):
        tag = etag_of(body)
        shown = f'W/"{tag}"' if self.p.weak_etag else f'"{tag}"'
        return Resp(200, {**body, '@odata.etag': shown}, {'ETag': shown, **(headers or {})})

    def check_if_match(self, rq, body, required=False):
        header = rq.headers.get('If-Match')
        if header is None:
            if required:
                fail(428, 'PreconditionRequired', 'A precondition header or annotation is '
                     'required to change the resource.')
            return
        tags = [t.strip() for t in header.split(',')]
        if '*' not in tags and f'"{etag_of(body)}"' not in tags:  # weak tags never match
            fail(412, 'PreconditionFailed', 'The ETag supplied did not match the ETag required '
                 'to change this resource.')

    def ok(self):
        if self.p.success_body:  # what iLO really sends
            return Resp(200, {'error': {'code': 'iLO.0.10.ExtendedInfo', 'message': 'See '
                              '@Message.ExtendedInfo for more information.',
                              '@Message.ExtendedInfo': [{'MessageId': BASE + 'Success'}]}})
        return Resp(204)

    # -- service root, resources
    def get_versions(self, rq):
        return Resp(200, {'v1': '/redfish/v1/'})

    def get_root(self, rq):
        r = '/redfish/v1'
        return Resp(200, {
            '@odata.id': r + '/', '@odata.type': '#ServiceRoot.v1_11_0.ServiceRoot',
            'Id': 'RootService', 'Name': 'Root Service', 'RedfishVersion': '1.15.0',
            'UUID': self.uuid, 'Vendor': self.p.vendor, 'Product': self.p.product,
            'Systems': ref(r + '/Systems'), 'Managers': ref(r + '/Managers'),
            'Chassis': ref(r + '/Chassis'), 'SessionService': ref(r + '/SessionService'),
            'TaskService': ref(r + '/TaskService'),
            'Links': {'Sessions': ref(r + '/SessionService/Sessions')}})

    def system_body(self):
        b, p = self.boot, self.p
        body = {
            '@odata.id': self.sys, '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
            'Id': p.system, 'Name': 'System', 'SystemType': 'Physical', 'Manufacturer': p.vendor,
            'Model': p.product, 'SerialNumber': 'SN-' + self.name, 'UUID': self.sys_uuid,
            'PowerState': self.power, 'Status': {'State': 'Enabled', 'Health': 'OK'},
            'Boot': {'BootSourceOverrideEnabled': b['enabled'],
                     'BootSourceOverrideTarget': b['target'],
                     'BootSourceOverrideTarget@Redfish.AllowableValues': p.boot_targets,
                     'BootSourceOverrideMode': b['mode'], 'HttpBootUri': b['uri']},
            'Actions': {'#ComputerSystem.Reset': {
                'target': self.sys + '/Actions/ComputerSystem.Reset',
                'ResetType@Redfish.AllowableValues': RESET_TYPES}},
            'Links': {'ManagedBy': [ref(self.mgr)], 'Chassis': [ref(self.chs)]}}
        if p.vm_under == 'system':
            body['VirtualMedia'] = ref(self.vmc)
        return body

    def manager_body(self):
        p = self.p
        body = {'@odata.id': self.mgr, '@odata.type': '#Manager.v1_15_0.Manager',
                'Id': p.manager, 'Name': 'Manager', 'ManagerType': 'BMC', 'Model': p.model,
                'FirmwareVersion': p.firmware, 'UUID': self.uuid,
                'Status': {'State': 'Enabled', 'Health': 'OK'},
                'Links': {'ManagerForServers': [ref(self.sys)],
                          'ManagerForChassis': [ref(self.chs)]}}
        if p.vm_under == 'manager':
            body['VirtualMedia'] = ref(self.vmc)
        return body

    def chassis_body(self):
        return {'@odata.id': self.chs, '@odata.type': '#Chassis.v1_21_0.Chassis',
                'Id': self.p.chassis, 'Name': 'Chassis', 'ChassisType': 'RackMount',
                'Manufacturer': self.p.vendor, 'Model': self.p.product, 'PowerState': self.power,
                'Links': {'ComputerSystems': [ref(self.sys)], 'ManagedBy': [ref(self.mgr)]}}

    # -- power and boot
    def act_reset(self, rq):
        args = rq.json()
        unknown = sorted(set(args) - {'ResetType'})
        if unknown:
            self.unknown_params('ComputerSystem.Reset', unknown)
        rt = args.get('ResetType')
        if rt is None:
            fail(400, 'ActionParameterMissing', 'The action ComputerSystem.Reset requires the '
                 'parameter ResetType to be present in the request body.',
                 ['ComputerSystem.Reset', 'ResetType'])
        if rt not in RESET_TYPES + ['ForceOn']:
            fail(400, 'ActionParameterValueNotInList', f'The value {rt} for the parameter '
                 'ResetType is not in the list of acceptable values.',
                 [rt, 'ResetType', 'ComputerSystem.Reset'])
        with self.lock:
            if self.faults.get('tasks'):
                tid = str(len(self.tasks) + 1)
                self.tasks[tid] = dict(reset=rt, due=time.monotonic() + TASK_SECONDS,
                                       state='Running', start=utc_now(), end=None)
                loc = f'/redfish/v1/TaskService/TaskMonitors/{tid}'
                return Resp(202, self.task_body(tid), {'Location': loc, 'Retry-After': '1'})
            self.apply_reset(rt)
        return self.ok()

    def apply_reset(self, rt):
        was_on = self.power == 'On'
        if rt in ('On', 'ForceOn') and not was_on:
            self.booted()
        elif rt in ('ForceOff', 'GracefulShutdown'):
            self.power = 'Off'
        elif rt in ('ForceRestart', 'GracefulRestart', 'PowerCycle'):
            self.resets += 1
            self.booted()
        elif rt == 'PushPowerButton':
            if was_on:
                self.power = 'Off'
            else:
                self.booted()

    def booted(self):
        """A power-on or reset: the machine goes through POST and uses one-time settings."""
        self.power, self.post_until = 'On', time.monotonic() + self.p.post_window
        if self.boot['enabled'] == 'Once':
            self.boot['enabled'] = 'Disabled'
        for m in self.media.values():
            m['boot_on_reset'] = False

    def task_body(self, tid):
        t = self.tasks[tid]
        done = t['state'] == 'Completed'
        return {'@odata.id': f'/redfish/v1/TaskService/Tasks/{tid}',
                '@odata.type': '#Task.v1_6_0.Task', 'Id': tid, 'Name': f'Task {tid}',
                'TaskState': t['state'], 'TaskStatus': 'OK', 'StartTime': t['start'],
                'EndTime': t['end'], 'PercentComplete': 100 if done else 50,
                'TaskMonitor': f'/redfish/v1/TaskService/TaskMonitors/{tid}',
                'Messages': [msg('Success', 'Successfully Completed Request')] if done else []}

    def get_task(self, tid, monitor):
        with self.lock:
            if tid not in self.tasks:
                fail(404, 'ResourceMissingAtURI', f'task {tid} does not exist', [tid])
            body = self.task_body(tid)
        if monitor and body['TaskState'] == 'Running':
            return Resp(202, body, {'Location': body['TaskMonitor'], 'Retry-After': '1'})
        return Resp(200, body)

    def patch_system(self, rq):
        with self.lock:
            self.check_if_match(rq, self.system_body(), required=self.p.system_if_match)
        args = rq.json()
        for k in args:
            if k != 'Boot':
                self.bad_property(k, k in self.system_body())
        boot = args.get('Boot')
        if not isinstance(boot, dict):
            fail(400, 'PropertyValueTypeError', 'The value for the property Boot is of a '
                 'different type than the property can accept.', [json.dumps(boot), 'Boot'])
        keys = {'BootSourceOverrideEnabled': ('enabled', BOOT_ENABLED),
                'BootSourceOverrideTarget': ('target', self.p.boot_targets),
                'BootSourceOverrideMode': ('mode', BOOT_MODES), 'HttpBootUri': ('uri', None)}
        for k in boot:
            if k not in keys:
                self.bad_property(k, False)
        if time.monotonic() < self.post_until:
            fail(400, 'iLO.2.15.UnableToModifyDuringSystemPOST', 'The value for the property '
                 'cannot be changed while the server is in POST.')
        if self.p.boot_needs_enabled and 'BootSourceOverrideEnabled' not in boot:
            self.missing_property('BootSourceOverrideEnabled')
        new = dict(self.boot)
        for k, (field, allowed) in keys.items():
            if k in boot:
                v = boot[k]
                if allowed is not None and v not in allowed:
                    fail(400, 'PropertyValueNotInList', f'The value {v} for the property {k} '
                         'is not in the list of acceptable values.', [v, k])
                new[field] = v
        if boot.get('HttpBootUri') is not None and new['target'] != 'UefiHttp':
            fail(400, 'PropertyValueConflict', 'The property HttpBootUri could not be written '
                 'because its value would conflict with the value of the '
                 'BootSourceOverrideTarget property.', ['HttpBootUri', 'BootSourceOverrideTarget'])
        with self.lock:
            self.boot = new
        return self.ok()

    def bad_property(self, k, known):
        if known:
            fail(400, 'PropertyNotWritable', f'The property {k} is a read only property and '
                 'cannot be assigned a value.', [k])
        fail(400, 'PropertyUnknown', f'The property {k} is not in the list of valid properties '
             'for the resource.', [k])

    def missing_property(self, k):
        fail(400, 'PropertyMissing', f'The property {k} is a required property and must be '
             'included in the request.', [k])

    def unknown_params(self, action, names):
        fail(400, 'ActionParameterUnknown', f'The action {action} was submitted with the invalid '
             f'parameter(s) {", ".join(names)}.', infos=[msg(
                 'ActionParameterUnknown', f'The action {action} was submitted with the invalid '
                 f'parameter {n}.', [action, n]) for n in names])

    # -- sessions
    def session_service(self):
        return {'@odata.id': '/redfish/v1/SessionService',
                '@odata.type': '#SessionService.v1_1_8.SessionService', 'Id': 'SessionService',
                'Name': 'Session Service', 'ServiceEnabled': True,
                'SessionTimeout': self.session_timeout,
                'Sessions': ref('/redfish/v1/SessionService/Sessions')}

    def patch_session_service(self, rq):
        args = rq.json()
        for k in args:
            if k != 'SessionTimeout':
                self.bad_property(k, k in self.session_service())
        v = args.get('SessionTimeout')
        if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 86400:
            fail(400, 'PropertyValueNotInList', f'The value {v} for the property SessionTimeout '
                 'is not in the list of acceptable values.', [v, 'SessionTimeout'])
        with self.lock:
            self.session_timeout = v
        return self.ok()

    def session_body(self, sid):
        return {'@odata.id': f'/redfish/v1/SessionService/Sessions/{sid}',
                '@odata.type': '#Session.v1_3_0.Session', 'Id': sid, 'Name': 'User Session',
                'UserName': self.sessions[sid]['user']}

    def login(self, rq):
        args = rq.json()
        for k in ('UserName', 'Password'):
            if k not in args:
                self.missing_property(k)
        if (args['UserName'], args['Password']) != (self.user, self.password):
            fail(401, 'ResourceAtUriUnauthorized', 'Invalid username or password.',
                 ['/redfish/v1/SessionService/Sessions'])
        with self.lock:
            if self.faults.get('noslots') or len(self.sessions) >= self.session_slots:
                fail(*self.p.session_limit)
            sid = secrets.token_hex(8)
            token = secrets.token_hex(16)
            self.sessions[sid] = dict(token=token, user=args['UserName'], last=time.monotonic())
            self.counters['logins'] += 1
            loc = f'/redfish/v1/SessionService/Sessions/{sid}'
            return Resp(201, self.session_body(sid), {'X-Auth-Token': token, 'Location': loc})

    def get_sessions(self, rq):
        with self.lock:
            return Resp(200, collection('/redfish/v1/SessionService/Sessions', 'Session',
                                        'Session Collection', [
                                            f'/redfish/v1/SessionService/Sessions/{s}'
                                            for s in self.sessions]))

    def session_or_404(self, sid):
        if sid not in self.sessions:
            fail(404, 'ResourceMissingAtURI', f'session {sid} does not exist', [sid])

    def get_session(self, rq, sid):
        with self.lock:
            self.session_or_404(sid)
            return Resp(200, self.session_body(sid))

    def logout(self, rq, sid):
        with self.lock:
            self.session_or_404(sid)
            self.drop_session(sid)
            self.counters['logouts'] += 1
        return Resp(204)

    def drop_session(self, sid):
        """The session ends (logout or expiry); media it mounted goes with it."""
        del self.sessions[sid]
        for mid, m in self.media.items():
            if m['session'] == sid:
                self.eject(mid)

    # -- virtual media
    def slots(self):
        hide = self.faults.get('nolicense')
        return [s for s in self.p.slots if not (hide and s['licensed'])]

    def slot_or_404(self, sid):
        s = next((x for x in self.slots() if x['id'] == sid), None)
        if s is None:
            fail(404, 'ResourceMissingAtURI', f'virtual media {sid} does not exist', [sid])
        return s

    def vm_body(self, s):
        m, path = self.media[s['id']], f'{self.vmc}/{s["id"]}'
        image = m['image']
        body = {'@odata.id': path, '@odata.type': '#VirtualMedia.v1_6_0.VirtualMedia',
                'Id': s['id'], 'Name': 'Virtual Removable Media', 'MediaTypes': s['types'],
                'Image': image, 'ImageName': basename(image) if image else None,
                'Inserted': m['inserted'], 'WriteProtected': m['write_protected'],
                'ConnectedVia': 'URI' if image else 'NotConnected',
                'TransferProtocolType': (urllib.parse.urlsplit(image).scheme.upper()
                                         if image and not image.startswith('file:') else None),
                'TransferMethod': 'Stream'}
        if s['actions']:
            body['Actions'] = {
                '#VirtualMedia.InsertMedia': {'target': path + '/Actions/VirtualMedia.InsertMedia'},
                '#VirtualMedia.EjectMedia': {'target': path + '/Actions/VirtualMedia.EjectMedia'}}
        if self.p.hpe_oem:
            body['Oem'] = {'Hpe': {'@odata.type': '#HpeiLOVirtualMedia.v2_2_0.HpeiLOVirtualMedia',
                                   'BootOnNextServerReset': m['boot_on_reset']}}
        return body

    @staticmethod
    def allow(s):
        return 'GET, PATCH' if s['patch'] else 'GET'

    def get_vm(self, rq, sid):
        with self.lock:
            s = self.slot_or_404(sid)
            return self.tagged(self.vm_body(s), {'Allow': self.allow(s)})

    def act_insert(self, rq, sid):
        s = self.slot_or_404(sid)
        if not s['actions']:
            fail(404, 'ResourceMissingAtURI', f'{rq.path} does not exist', [rq.path])
        with self.lock:
            self.check_free(sid)
        args = rq.json()
        unknown = sorted(set(args) - self.p.insert_params)
        if unknown:
            self.unknown_params('InsertMedia', unknown)
        for k in self.p.insert_required:
            if args.get(k) in (None, ''):
                fail(400, 'ActionParameterMissing', f'The action InsertMedia requires the '
                     f'parameter {k} to be present in the request body.', ['InsertMedia', k])
        proto = args.get('TransferProtocolType')
        if proto is not None and proto not in self.p.transfer_protocols:
            fail(400, 'ActionParameterValueNotInList', f'The value {proto} for the parameter '
                 'TransferProtocolType is not in the list of acceptable values.',
                 [proto, 'TransferProtocolType', 'InsertMedia'])
        self.mount(rq, s, args['Image'], args.get('WriteProtected'), args.get('Inserted', True))
        return self.ok()

    def act_eject(self, rq, sid):
        s = self.slot_or_404(sid)
        if not s['actions']:
            fail(404, 'ResourceMissingAtURI', f'{rq.path} does not exist', [rq.path])
        if not rq.body.strip() and self.p.eject_needs_body == 400:
            fail(400, 'MalformedJSON', 'request body is required')
        if not rq.body.strip() and self.p.eject_needs_body == 415:
            fail(415, 'UnsupportedMediaType', 'The content type of the request body is not '
                 'supported: a JSON body is required.')
        unknown = sorted(rq.json())
        if unknown:
            self.unknown_params('EjectMedia', unknown)
        with self.lock:
            if self.media[sid]['image'] is None and self.p.eject_empty_error:
                fail(400, self.p.eject_empty_error, 'There is no media to eject.')
            self.eject(sid)
        return self.ok()

    def patch_vm(self, rq, sid):
        s = self.slot_or_404(sid)
        if not s['patch']:
            fail(405, 'OperationNotAllowed', f'PATCH is not allowed on {rq.path}',
                 headers={'Allow': self.allow(s)})
        with self.lock:
            self.check_if_match(rq, self.vm_body(s))
        args = rq.json()
        known = {'Image', 'Inserted', 'WriteProtected', 'TransferProtocolType', 'TransferMethod',
                 'UserName', 'Password'} | ({'Oem'} if self.p.hpe_oem else set())
        for k in args:
            if k not in known:
                self.bad_property(k, k in self.vm_body(s))
        image, wp = args.get('Image'), args.get('WriteProtected')
        if image:
            if (self.p.patch_needs_inserted and s['kind'] != 'rdoc'
                    and args.get('Inserted') is not True):
                self.missing_property('Inserted')
            self.mount(rq, s, image, wp, args.get('Inserted', True))
        with self.lock:
            m = self.media[sid]
            if not image and ('Image' in args or args.get('Inserted') is False):
                self.eject(sid)
            elif wp is not None and not image:
                m['write_protected'] = bool(wp)
            oem = (args.get('Oem') or {}).get('Hpe', {})
            if 'BootOnNextServerReset' in oem:
                m['boot_on_reset'] = bool(oem['BootOnNextServerReset'])
        return self.ok()

    def mount(self, rq, s, image, write_protected, inserted):
        """Insert an image the way a BMC does: fetch it first, fail if it cannot."""
        sid = s['id']
        if not isinstance(image, str):
            fail(400, 'PropertyValueTypeError', 'Image must be a string.', [image, 'Image'])
        with self.lock:
            self.check_free(sid)
        if s['kind'] == 'rdoc':
            with self.lock:
                up = self.uploads.get(image[len(RDOC_PREFIX):]) if image.startswith(
                    RDOC_PREFIX) else None
            got = (up['bytes'], up['sha256']) if up else None
        elif image.startswith('file://'):
            got = (None, None)
        else:
            got = fetch(image)
        if got is None:
            fail(400, 'GeneralError', f'Unable to mount remote share {image}', [image])
        with self.lock:
            self.check_free(sid)  # another request may have won while we fetched
            m = self.media[sid]
            m.update(image=image, inserted=bool(inserted), inserted_by=rq.auth,
                     session=rq.session, fetched_bytes=got[0], fetched_sha256=got[1])
            if write_protected is not None:
                m['write_protected'] = bool(write_protected)

    def check_free(self, sid):
        if self.media[sid]['image'] is not None:
            fail(400, 'ResourceInUse', f'Virtual media {sid} already holds an image; eject it '
                 'first.', [sid])
        used = sum(1 for m in self.media.values() if m['image'] is not None)
        if self.p.max_mounts is not None and used >= self.p.max_mounts:
            fail(400, 'GeneralError', 'Maximum number of mounted media reached.')

    def eject(self, sid):
        m = self.media[sid]
        if m['image'] and m['image'].startswith(RDOC_PREFIX):
            self.uploads.pop(m['image'][len(RDOC_PREFIX):], None)
        self.media[sid] = blank_media()

    def rdoc_upload(self, rq):
        def answer(status, message):
            return Resp(status, {'return': 1, 'message': message})
        if rq.too_large:
            return answer(413, 'File size exceeds limit')
        part = parse_multipart(rq.headers.get('Content-Type'), rq.body).get('file')
        if not part or not part[0]:
            return answer(400, 'A file field with a filename is required')
        name, data = os.path.basename(part[0]), part[1]
        if len(data) > UPLOAD_LIMIT:
            return answer(413, 'File size exceeds limit')
        with self.lock:
            if name in self.uploads:
                return answer(400, 'An image with that name already exists')
            if len(self.uploads) >= 2:
                return answer(400, 'Maximum number of uploaded media reached')
            self.uploads[name] = dict(name=name, bytes=len(data),
                                      sha256=hashlib.sha256(data).hexdigest())
        return Resp(200, {'return': 0, 'name': name})

    # -- control API (no auth, no faults)
    def control(self, rq):
        what = (rq.method, rq.path[len('/_emulator/'):])
        try:
            if what == ('GET', 'state'):
                self.tick()
                return Resp(200, self.state())
            if what == ('GET', 'faults'):
                return Resp(200, self.faults)
            if what == ('POST', 'faults'):
                faults = parse_faults(rq.json())
                with self.lock:
                    self.faults = faults
                return Resp(200, faults)
            if what == ('POST', 'power'):
                state = rq.json().get('state')
                if state not in ('On', 'Off'):
                    return Resp(400, {'error': 'state must be On or Off'})
                with self.lock:
                    self.power = state
                return Resp(200, {'power': state})
            if what == ('POST', 'reset'):
                self.reset_state()
                return Resp(200, self.state())
        except Fail as f:
            return f.resp
        except (ValueError, TypeError) as e:
            return Resp(400, {'error': str(e)})
        return Resp(404, {'error': f'no control endpoint {rq.method} {rq.path}'})

    def state(self):
        with self.lock:
            media = []
            for s in self.slots():
                m = self.media[s['id']]
                media.append(dict(id=s['id'], image=m['image'], inserted=m['inserted'],
                                  inserted_by=m['inserted_by'], fetched_bytes=m['fetched_bytes'],
                                  fetched_sha256=m['fetched_sha256'],
                                  write_protected=m['write_protected']))
                if self.p.hpe_oem:
                    media[-1]['boot_on_next_reset'] = m['boot_on_reset']
            b = self.boot
            return {'name': self.name, 'personality': self.p.name, 'power': self.power,
                    'resets': self.resets,
                    'boot': dict(enabled=b['enabled'], target=b['target'], mode=b['mode'],
                                 uri=b['uri']),
                    'media': media, 'uploads': list(self.uploads.values()),
                    'sessions_open': len(self.sessions), 'session_timeout': self.session_timeout,
                    'counters': json.loads(json.dumps(self.counters)), 'faults': dict(self.faults),
                    'cert_sha256': self.cert_sha['.alt' if self.faults.get('certchange') else '']}


# --- HTTP(S) servers ----------------------------------------------------------------------

def read_body(h):
    """(body, too_large) of the request on handler h; keeps the connection in sync."""
    if 'chunked' in h.headers.get('Transfer-Encoding', '').lower():
        chunks, total = [], 0
        while True:
            size = int(h.rfile.readline().split(b';')[0].strip() or b'0', 16)
            if size == 0:
                while h.rfile.readline().strip():  # trailers
                    pass
                break
            data = h.rfile.read(size)
            h.rfile.readline()
            total += size
            if total <= MAX_BODY:
                chunks.append(data)
        return (None, True) if total > MAX_BODY else (b''.join(chunks), False)
    n = int(h.headers.get('Content-Length') or 0)
    if n > MAX_BODY:
        while n > 0:
            got = h.rfile.read(min(n, MIB))
            if not got:
                break
            n -= len(got)
        return None, True
    return h.rfile.read(n) if n > 0 else b'', False


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 120  # idle keep-alive connections are closed after this

    def log_message(self, *args):
        pass

    def version_string(self):
        return 'bmc-emulator'

    def do_GET(self):
        bmc = self.server.bmc
        try:
            body, too_large = read_body(self)
        except ValueError:
            self.close_connection = True
            return self.reply(err(400, 'MalformedJSON', 'bad request framing'))
        rq = Request(self.command, self.path, self.headers, body or b'', too_large)
        if rq.path.startswith('/_emulator/'):
            resp, faults = bmc.control(rq), {}
            rq.auth = 'control'
        else:
            faults = bmc.begin(rq)
            if faults.get('hang'):
                bmc.log(rq.method, rq.path, '-', 'none')
                return self.hang()
            resp = bmc.handle(rq)
            if faults.get('slow'):
                STOP.wait(faults['slow'])
        self.reply(resp, mangle=faults.get('badjson'))
        bmc.log(rq.method, rq.path, resp.status, rq.auth)

    do_HEAD = do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

    def reply(self, resp, mangle=False):
        data = resp.payload()
        is_json = isinstance(resp.body, (dict, list))
        if mangle and is_json:
            data = data[:max(1, len(data) // 2)]  # truncated: invalid JSON
        self.send_response(resp.status)
        if is_json:
            self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('OData-Version', '4.0')
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if resp.status not in (204, 304):  # RFC 9110: no Content-Length on 204
            self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD' and resp.status not in (204, 304):
            self.wfile.write(data)

    def hang(self):
        """Never answer: wait until the client goes away or the emulator exits."""
        self.close_connection = True
        self.connection.settimeout(0.5)
        while not STOP.is_set():
            try:
                if not self.connection.recv(65536):
                    return
            except (TimeoutError, ssl.SSLWantReadError):
                continue
            except OSError:
                return


class StaticHandler(BaseHTTPRequestHandler):
    """Read-only files with Range support: the web server virtual media URLs point to."""
    protocol_version = 'HTTP/1.1'
    timeout = 120

    def log_message(self, *args):
        pass

    def version_string(self):
        return 'bmc-emulator-static'

    def do_GET(self):
        read_body(self)
        root = self.server.root
        rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip('/')
        path = os.path.realpath(os.path.join(root, rel))
        if not (path == root or path.startswith(root + os.sep)) or not os.path.isfile(path):
            return self.answer(404, b'not found\n')
        size = os.path.getsize(path)
        start, end, status = 0, size - 1, 200
        rng = re.fullmatch(r'bytes=(\d*)-(\d*)', self.headers.get('Range', '').strip())
        if rng and (rng.group(1) or rng.group(2)):
            a, b = rng.groups()
            start, end = (int(a), min(int(b or size - 1), size - 1)) if a else (
                max(0, size - int(b)), size - 1)
            if start > end or start >= size:
                return self.answer(416, b'', {'Content-Range': f'bytes */{size}'})
            status = 206
        headers = {'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes'}
        if status == 206:
            headers['Content-Range'] = f'bytes {start}-{end}/{size}'
        self.answer(status, None, headers, length=end - start + 1)
        if self.command == 'GET':
            with open(path, 'rb') as f:
                f.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = f.read(min(left, MIB))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)
        self.server.log(self.command, self.path, status)

    do_HEAD = do_GET

    def do_POST(self):
        read_body(self)
        self.answer(405, b'read-only\n', {'Allow': 'GET, HEAD'})

    do_PUT = do_DELETE = do_PATCH = do_POST

    def answer(self, status, data, headers=None, length=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(data) if length is None else length))
        self.end_headers()
        if data and self.command != 'HEAD':
            self.wfile.write(data)
        if data is not None:
            self.server.log(self.command, self.path, status)


class LineLog:
    """Thread-safe append-only log, one line per request."""
    def __init__(self, path):
        self.file, self.lock = open(path, 'a', buffering=1), threading.Lock()

    def __call__(self, *fields):
        line = ' '.join([time.strftime('%Y-%m-%dT%H:%M:%S'), *map(str, fields)]) + '\n'
        with self.lock:
            self.file.write(line)


class TlsServer(ThreadingHTTPServer):
    """One listener; TLS is negotiated in the per-connection thread, never in accept()."""
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, port, handler, context):
        self.context = context  # callable -> SSLContext or None, asked per connection
        try:
            super().__init__(('127.0.0.1', port), handler)
        except OSError as e:
            raise OSError(f'cannot listen on 127.0.0.1:{port}: {e.strerror}') from None

    def server_bind(self):  # skip HTTPServer's reverse DNS lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = '127.0.0.1', self.server_address[1]

    def finish_request(self, sock, addr):
        ctx, conn = self.context(), sock
        try:
            if ctx is not None:
                sock.settimeout(10)
                conn = ctx.wrap_socket(sock, server_side=True)
            self.RequestHandlerClass(conn, addr, self)
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    def handle_error(self, request, client_address):
        pass


def tls_server_context(stem):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(stem + '.pem', stem + '.key')
    ctx.set_alpn_protocols(['http/1.1'])
    return ctx


def cert_sha256(pem):
    with open(pem) as f:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest()


def ensure_certs(certdir, wanted):
    """Create missing self-signed EC certificates, in parallel. wanted: [(stem, cn)]."""
    def make(item):
        stem, cn = item
        tmp = f'{stem}.tmp{os.getpid()}'
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj',
                        f'/CN={cn}', '-addext', f'subjectAltName=DNS:{cn},IP:127.0.0.1',
                        '-keyout', tmp + '.key', '-out', tmp + '.pem'],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.replace(tmp + '.key', stem + '.key')
        os.replace(tmp + '.pem', stem + '.pem')
    todo = [(os.path.join(certdir, s), cn) for s, cn in wanted
            if not (os.path.exists(os.path.join(certdir, s + '.pem'))
                    and os.path.exists(os.path.join(certdir, s + '.key')))]
    with ThreadPoolExecutor(max_workers=4 * (os.cpu_count() or 2)) as pool:
        list(pool.map(make, todo))


# --- command line -------------------------------------------------------------------------

def parse_spec(spec):
    parts = spec.split(':', 3)
    if len(parts) < 3:
        raise ValueError(f"bad BMC spec '{spec}' (NAME:PORT:PERSONALITY[:faults])")
    faults = {}
    for item in filter(None, (parts[3] if len(parts) > 3 else '').split(',')):
        k, eq, v = item.partition('=')
        faults[k] = v if eq else None
    return dict(name=parts[0], port=int(parts[1]), personality=parts[2], faults=faults)


def load_bmcs(args):
    cfgs = []
    if args.config:
        with open(args.config) as f:
            cfgs += json.load(f)['bmcs']
    cfgs += [parse_spec(s) for s in args.bmc]
    names, ports = set(), set()
    for c in cfgs:
        if c['personality'] not in PERSONALITIES:
            raise ValueError(f"{c['name']}: unknown personality '{c['personality']}' "
                             f"(one of {', '.join(PERSONALITIES)})")
        if not re.fullmatch(r'[A-Za-z0-9_.-]+', c['name']) or c['name'] in names:
            raise ValueError(f"bad or duplicate BMC name '{c['name']}'")
        if int(c['port']) in ports:
            raise ValueError(f"duplicate port {c['port']}")
        parse_faults(c.get('faults', {}))
        names.add(c['name'])
        ports.add(int(c['port']))
    return cfgs


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--dir', required=True)
    ap.add_argument('--config')
    ap.add_argument('--bmc', action='append', default=[], metavar='NAME:PORT:PERSONALITY[:f=v,...]')
    ap.add_argument('--serve-static', action='append', default=[], metavar='DIR:PORT[:tls]')
    args = ap.parse_args()
    workdir = os.path.abspath(args.dir)
    certdir = os.path.join(workdir, 'certs')
    os.makedirs(certdir, exist_ok=True)
    ready, pidfile = os.path.join(workdir, 'ready'), os.path.join(workdir, 'emulator.pid')
    for f in (ready,):
        if os.path.exists(f):
            os.unlink(f)
    with open(pidfile, 'w') as f:
        f.write(f'{os.getpid()}\n')
    try:
        cfgs = load_bmcs(args)
        statics = []
        for spec in args.serve_static:
            d, port, *tls = spec.rsplit(':', 2) if spec.endswith(':tls') else spec.rsplit(':', 1)
            statics.append((os.path.realpath(d), int(port), bool(tls)))
        wanted = [(c['name'] + alt, c['name']) for c in cfgs for alt in ('', '.alt')]
        wanted += [(f'static-{p}', 'localhost') for _, p, tls in statics if tls]
        ensure_certs(certdir, wanted)
        servers = []
        for c in cfgs:
            bmc = Bmc(c, workdir)
            srv = TlsServer(bmc.port, Handler, bmc.tls_context)
            srv.bmc = bmc
            servers.append(srv)
        for root, port, tls in statics:
            ctx = tls_server_context(os.path.join(certdir, f'static-{port}')) if tls else None
            srv = TlsServer(port, StaticHandler, lambda ctx=ctx: ctx)
            srv.root, srv.log = root, LineLog(os.path.join(workdir, f'static-{port}.log'))
            servers.append(srv)
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as e:
        detail = getattr(e, 'stderr', b'') or b''
        print(f'emulator.py: error: {e} {detail.decode(errors="replace")}'.rstrip(),
              file=sys.stderr)
        os.unlink(pidfile)
        return 1
    # Only the main thread takes SIGTERM/SIGINT (sigwait below): the server threads,
    # started with the signals blocked, inherit the mask.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(ready + '.tmp', 'w') as f:
        for c in cfgs:
            f.write(f"{c['name']} {c['port']} {c['personality']}\n")
        for root, port, tls in statics:
            f.write(f"static {port} {'https' if tls else 'http'} {root}\n")
    os.replace(ready + '.tmp', ready)
    signal.sigwait(stop_signals)
    STOP.set()
    for f in (ready, pidfile):
        try:
            os.unlink(f)
        except OSError:
            pass
    os._exit(0)


if __name__ == '__main__':
    sys.exit(main())
