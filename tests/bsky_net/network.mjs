// A real Bluesky network on 127.0.0.1: @atproto/dev-env's TestNetwork (PLC directory, PDS,
// bsky AppView + dataplane, bsync, ozone). Started by start.sh; run as
//   node --import ./loopback-only.mjs network.mjs
//
// Env (start.sh sets all of them):
//   DB_POSTGRES_URL   postgres://postgres@127.0.0.1:<pg port>/bsky            (required)
//   REDIS_HOST        anything; dev-env asserts it is set, nothing connects    (required)
//   PLC_PORT PDS_PORT BSKY_PORT OZONE_PORT CONTROL_PORT                       (required)
//   CHAT_URL          ozone's chat service URL (nothing listens there)
//   READY_FILE        JSON with the URLs, written once every service answers   (required)
//
// Control server on 127.0.0.1:CONTROL_PORT:
//   GET  /             -> the same JSON as READY_FILE
//   POST /process-all  -> returns once the AppView has indexed everything the PDS emitted
//   POST /shutdown     -> closes the network and exits
import fs from 'node:fs'
import http from 'node:http'
import { TestNetwork } from '@atproto/dev-env'

const required = (name) => {
  const value = process.env[name]
  if (!value) throw new Error(`network.mjs: environment variable ${name} is required (start.sh sets it)`)
  return value
}
const port = (name) => parseInt(required(name), 10)

const t0 = Date.now()
const PLC_PORT = port('PLC_PORT')
const PDS_PORT = port('PDS_PORT')
const BSKY_PORT = port('BSKY_PORT')
const OZONE_PORT = port('OZONE_PORT')
const CONTROL_PORT = port('CONTROL_PORT')
const READY_FILE = required('READY_FILE')

const network = await TestNetwork.create({
  dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA || 'sqbot',
  pds: { port: PDS_PORT, hostname: 'localhost', enableDidDocWithSession: true },
  bsky: { port: BSKY_PORT, publicUrl: `http://localhost:${BSKY_PORT}` },
  plc: { port: PLC_PORT },
  ozone: {
    port: OZONE_PORT,
    chatUrl: process.env.CHAT_URL || 'http://localhost:2690',
    chatDid: 'did:example:chat',
    dbMaterializedViewRefreshIntervalMs: 30_000,
  },
})

const info = {
  pds: network.pds.url,
  pdsDid: network.pds.ctx.cfg.service.did,
  appview: network.bsky.url,
  appviewDid: network.bsky.ctx.cfg.serverDid,
  plc: network.plc.url,
  ozone: network.ozone.url,
  control: `http://127.0.0.1:${CONTROL_PORT}`,
  handleDomains: network.pds.ctx.cfg.identity.serviceHandleDomains,
  pid: process.pid,
  startMs: Date.now() - t0,
}

let closing = false
const shutdown = async (code) => {
  if (closing) return
  closing = true
  try {
    control.close()
    await network.close()
  } catch (err) {
    console.error('error while closing the network', err)
  }
  process.exit(code)
}

const control = http.createServer(async (req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  try {
    if (req.method === 'GET' && req.url === '/') return send(200, info)
    if (req.method === 'POST' && req.url === '/process-all') {
      const started = Date.now()
      await network.processAll()
      return send(200, { ok: true, ms: Date.now() - started })
    }
    if (req.method === 'POST' && req.url === '/shutdown') {
      send(200, { ok: true })
      setTimeout(() => shutdown(0), 10)
      return
    }
    send(404, { error: 'not found' })
  } catch (err) {
    send(500, { error: String(err?.stack || err) })
  }
})
await new Promise((resolve, reject) => {
  control.once('error', reject)
  control.listen(CONTROL_PORT, '127.0.0.1', resolve)
})

process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))

// write-then-rename: a reader never sees half a file
fs.writeFileSync(`${READY_FILE}.part`, JSON.stringify(info, null, 2))
fs.renameSync(`${READY_FILE}.part`, READY_FILE)
console.log('READY ' + JSON.stringify(info))
