/**
 * getsockname on an IPv4 socket: the address and port the kernel gave it
 * (after bind to port 0, the port it chose). sockaddr_in: family u16@0,
 * port be16@2, address 4 bytes @4.
 */
import { sock } from '../../libc/sockets';
import { type OpTable, failed, intArg } from './op-types';

export const inetOps: OpTable = {
  getsockname: {
    sleepsIn: [],
    run(args) {
      const addr = new Uint8Array(28);
      const len = new Uint32Array([28]);
      if (sock.getsockname(intArg(args, 'fd'), addr, len) < 0) return failed();
      const view = new DataView(addr.buffer);
      const port = view.getUint16(2, false);
      const host = `${addr[4]}.${addr[5]}.${addr[6]}.${addr[7]}`;
      return { result: 0, errno: null, data: { family: view.getUint16(0, true), host, port, sockname: `${host}:${port}` } };
    },
  },
};
