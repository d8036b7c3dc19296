package io.swooletask.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Swoole task server, under {@code swoole.server}: Swoole's setting names in
 * kebab-case; Swoole's own snake_case keys bind too.
 */
@ConfigurationProperties("swoole.server")
public class SwooleServerProperties {

	/**
	 * Whether to start the server.
	 */
	private boolean enabled = true;

	/**
	 * Address to listen on.
	 */
	private String host = "127.0.0.1";

	/**
	 * Port to listen on; 0 picks a free port, published as 'local.swoole.server.port'.
	 */
	private int port = 9501;

	/**
	 * Number of event loops (Swoole workers) that do the I/O and run the connection events.
	 */
	private int workerNum = Runtime.getRuntime().availableProcessors();

	/**
	 * Number of task worker threads; 0 for none.
	 */
	private int taskWorkerNum;

	/**
	 * Number of tasks a task worker thread runs before a fresh thread takes its place; 0 for never.
	 */
	private int taskMaxRequest;

	/**
	 * Up to how many tasks more than 'task-max-request' a worker thread runs, drawn at random per thread
	 * so that workers do not retire together.
	 */
	private int taskMaxRequestGrace;

	/**
	 * Whether to cut the byte stream into messages at 'package-eof', stripping it.
	 */
	private boolean openEofSplit;

	/**
	 * Whether to cut messages at 'package-eof'. Behaves as 'open-eof-split': every message is one
	 * delimited frame, where Swoole would hand over several frames that arrived in one read.
	 */
	private boolean openEofCheck;

	/**
	 * Delimiter of messages for 'open-eof-split' and 'open-eof-check', 1 to 8 bytes.
	 */
	private String packageEof = "\r\n";

	/**
	 * Longest message accepted; a longer frame or unterminated line closes its connection.
	 */
	private DataSize packageMaxLength = DataSize.ofMegabytes(2);

	/**
	 * Longest time a graceful shutdown may take to drain tasks and flush replies; a bare number is
	 * seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getWorkerNum() {
		return this.workerNum;
	}

	public void setWorkerNum(int workerNum) {
		this.workerNum = workerNum;
	}

	public int getTaskWorkerNum() {
		return this.taskWorkerNum;
	}

	public void setTaskWorkerNum(int taskWorkerNum) {
		this.taskWorkerNum = taskWorkerNum;
	}

	public int getTaskMaxRequest() {
		return this.taskMaxRequest;
	}

	public void setTaskMaxRequest(int taskMaxRequest) {
		this.taskMaxRequest = taskMaxRequest;
	}

	public int getTaskMaxRequestGrace() {
		return this.taskMaxRequestGrace;
	}

	public void setTaskMaxRequestGrace(int taskMaxRequestGrace) {
		this.taskMaxRequestGrace = taskMaxRequestGrace;
	}

	public boolean isOpenEofSplit() {
		return this.openEofSplit;
	}

	public void setOpenEofSplit(boolean openEofSplit) {
		this.openEofSplit = openEofSplit;
	}

	public boolean isOpenEofCheck() {
		return this.openEofCheck;
	}

	public void setOpenEofCheck(boolean openEofCheck) {
		this.openEofCheck = openEofCheck;
	}

	public String getPackageEof() {
		return this.packageEof;
	}

	public void setPackageEof(String packageEof) {
		this.packageEof = packageEof;
	}

	public DataSize getPackageMaxLength() {
		return this.packageMaxLength;
	}

	public void setPackageMaxLength(DataSize packageMaxLength) {
		this.packageMaxLength = packageMaxLength;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

}
