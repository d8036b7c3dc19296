import com.sun.tools.attach.VirtualMachine;

/**
 * Loads an agent library into a running JVM with its options as given: {@code jcmd}'s
 * {@code JVMTI.agent_load} reads an option holding {@code =} as a command argument of its
 * own. Usage: {@code java Attach.java <pid> <library> <options>}.
 */
public class Attach {

	public static void main(String[] args) throws Exception {
		VirtualMachine vm = VirtualMachine.attach(args[0]);
		try {
			vm.loadAgentPath(args[1], args[2]);
		}
		finally {
			vm.detach();
		}
	}

}
