/** tshark options every test that reads our captures passes: verify IP and TCP checksums (tshark's default is not to). */
export const TSHARK_CHECKSUMS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'] as const;
