/** The server firewall from seed 002, exactly as the seed prints it. */
export const SEED_002 = `*filter
:INPUT ACCEPT [0:0]
# Allow established and related connections (including FTP data)
-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
# Allow new incoming connections to FTP control port
-A INPUT -m state --state NEW -m tcp -p tcp --dport 21 -j ACCEPT
# Allow new incoming connections to SSH (example)
-A INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT
# Drop all other new incoming connections
-A INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
`;
