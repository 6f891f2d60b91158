// Preloaded with `node --import ./loopback-only.mjs`: every TCP server in this process binds
// 127.0.0.1. The atproto services call listen(port) without a host, which would bind all
// interfaces; a test network must never be reachable from outside the machine.
import net from 'node:net'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])
const originalListen = net.Server.prototype.listen

net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (first !== null && typeof first === 'object' && !(first instanceof net.Server)) {
    // listen(options[, cb]); unix sockets, handles and fds are left alone
    if (first.path === undefined && first.handle === undefined && first.fd === undefined) {
      if (!LOOPBACK.has(first.host)) args[0] = { ...first, host: '127.0.0.1' }
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, cb])
    if (typeof args[1] === 'string') {
      if (!LOOPBACK.has(args[1])) args[1] = '127.0.0.1'
    } else {
      args.splice(1, 0, '127.0.0.1')
    }
  } else if (first === undefined || typeof first === 'function') {
    // listen() / listen(cb): a random port
    args.splice(0, first === undefined ? 1 : 0, 0, '127.0.0.1')
  }
  return originalListen.apply(this, args)
}
