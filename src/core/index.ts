/**
 * The core's public face: everything the UI, the CLI and the teaching layer use. They import
 * from here only; what is not exported here is the core's own business and may move.
 *
 * The pipeline: loadScenario(text) → Scenario; runScenario(scenario) → { trace, verdict },
 * which is simulate(scenario) → { trace, reports } then explain(scenario, trace, reports) →
 * verdict; capture/pcap and packet description read the trace.
 */

// Scenario files: load and validate, types of the file and of the loaded model.
export { loadScenario, formatScenarioError, type LoadResult } from './scenario/load';
export { decodeTextBytes, type DecodedText } from './scenario/textBytes';
export { parseJsonText, lineColumn, type JsonParse } from './scenario/jsonText';
export {
  CLIENT_MODES,
  CLIENT_PROFILES,
  DATA_PORT_CHOICES,
  DEFAULT_SCRIPT,
  type ClientMode,
  type ClientProfileId,
  type ClientSpec,
  type DataPortChoice,
  type Device,
  type HostSpec,
  type RouterSpec,
  type Scenario,
  type ScenarioError,
  type ScenarioFile,
  type TextOrLines,
  type FileSpec,
  type UserSpec,
} from './scenario/types';

// Running: the simulation and its verdict.
export { runScenario, type RunResult } from './runScenario';
export { simulate, DEFAULT_BUDGET, type ClientReport, type RunReports, type Simulation, type SimulateOptions } from './run/simulate';
export { explain, transfersSummary } from './explain/explain';
export type { ConnectionInfo, DropCause, DropHow, NetfilterVerdict, RuleRef, Trace, TraceEvent, TraceEventInput, TraceKind } from './sim/trace';
export { refusalAfterName, refusalBesideName, refusalNamed, type Refusal } from './sim/refusal';
export type { Culprit, FailureKind, TransferResult, Verdict } from './explain/verdict';
export { culpritDetail, nameWithId } from './explain/names';
export { clientCapabilities, noPassiveReason, passiveSuggestion, type ClientCapabilities } from './explain/capabilities';
export { simTime, type SimTime } from './sim/scheduler';

// Captures: what a capture at device:interface would have seen, as a .pcap file.
export { capturePoints, captureRecords, pcapAt } from './run/capture';
export { readPcap, type PcapRecord } from './codec/pcap';

// Packets: decode and describe the bytes of a trace event.
export { decodePacket, describePacket, encodeTcpPacket, type DecodedPacket } from './codec/packet';
export { formatTcpFlags, tcpOptionLength, type TcpOption, type TcpFlags } from './codec/tcp';
export { describeIcmp } from './codec/icmp';

// Addresses.
export { asIpv4, formatIpv4, parseCidr, parseIpv4, type Ipv4 } from './codec/addr';

// The texts a learner edits: iptables-save, vsftpd.conf, the client's script and profile.
export { parseIptablesSave, serializeIptablesSave, ruleText, type ParseResult as IptablesParse, type Rule, type Ruleset, type TableName } from './net/iptables/parse';
export { BUILTIN_CHAINS } from './net/iptables/types';
export { tokenizeLine as tokenizeIptablesLine } from './net/iptables/tokens';
export { parseVsftpdConf, serializeVsftpdConf, effectivePasvRange, type VsftpdConf } from './ftp/vsftpd/conf';
export { parseScriptLine, type ScriptStep } from './ftp/client/script';
export { parseClientCommand, type CommandFields, type CommandParse, type LftpRetries } from './ftp/client/cmdline';
export { PROFILES, type ClientProfile, type ProfileId } from './ftp/client/profiles';

// Wire texts (fuzzed with the parsers above).
export { parseFtpCommand, parseFtpReply } from './codec/ftp';
export { parse227, parse229, parseEprtArg } from './codec/hostport';
export { writePcap } from './codec/pcap';

// Probing a firewall: which inbound TCP ports a NEW SYN gets through (the teaching layer's checker uses it).
export { probeInboundTcp, ALL_PORTS, type InboundProbe, type PortRun, type AdmittedBy, type ProbeDevice } from './net/probe';
// zod issues as path + sentence (other data formats reuse them).
export { issueToErrors, formatPath } from './scenario/issues';
// FileZilla Server 0.9.60 (server.kind "filezilla"): its settings as the scenario file writes them.
export { SERVER_KINDS, type ServerKind, type PasvAddressChoice } from './scenario/types';
export { FOLDER_RIGHTS, parseFzSettings, type FolderRight, type FzSettingsSpec, type FzFolderSpec, type FzUserSpec, type FzIssue } from './ftp/filezilla/settings';
