export { exec, type TcpSpec } from './tcp.ts';
