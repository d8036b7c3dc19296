package io.swooletask.server.netty;

import java.time.Duration;

import io.swooletask.task.TaskWorkerSettings;

/**
 * What the server is built from; the auto-configuration maps {@code swoole.server.*} onto it.
 */
public final class ServerOptions {

	private String host = "127.0.0.1";

	private int port = 9501;

	private int workerNum = Runtime.getRuntime().availableProcessors();

	private int taskWorkerNum;

	private int taskMaxRequest;

	private int taskMaxRequestGrace;

	private TaskWorkerSettings.WorkerThreads taskThreads = TaskWorkerSettings.WorkerThreads.platform();

	private Framing framing = Framing.raw();

	private int packageMaxLength = 2 * 1024 * 1024;

	private Duration shutdownTimeout = Duration.ofSeconds(30);

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

	public TaskWorkerSettings.WorkerThreads getTaskThreads() {
		return this.taskThreads;
	}

	public void setTaskThreads(TaskWorkerSettings.WorkerThreads taskThreads) {
		this.taskThreads = taskThreads;
	}

	public Framing getFraming() {
		return this.framing;
	}

	public void setFraming(Framing framing) {
		this.framing = framing;
	}

	public int getPackageMaxLength() {
		return this.packageMaxLength;
	}

	public void setPackageMaxLength(int packageMaxLength) {
		this.packageMaxLength = packageMaxLength;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	TaskWorkerSettings taskWorkerSettings() {
		return new TaskWorkerSettings(this.taskWorkerNum, this.taskMaxRequest, this.taskMaxRequestGrace,
				this.taskThreads);
	}

}
