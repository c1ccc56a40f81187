/** The protocol codec: bytes ⇄ structures for IPv4, TCP, ICMP, FTP text, and pcap files. */
export * from './result';
export * from './bytes';
export * from './checksum';
export * from './hex';
export * from './ipv4';
export * from './tcp';
export * from './icmp';
export * from './packet';
export * from './ftp';
export * from './hostport';
export * from './replyCodes';
export * from './pcap';
