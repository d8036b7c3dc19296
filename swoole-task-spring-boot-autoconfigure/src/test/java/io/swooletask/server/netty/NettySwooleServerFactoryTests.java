package io.swooletask.server.netty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.server.PackageLengthType;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The framing the factory builds from its settings, and how it refuses settings that
 * cannot work, naming the {@code swoole.server.*} property. Each test starts from the
 * defaults of {@link SwooleServerProperties}, as the auto-configuration maps them.
 */
@ExtendWith(OutputCaptureExtension.class)
class NettySwooleServerFactoryTests {

	private final NettySwooleServerFactory factory = new NettySwooleServerFactory();

	@BeforeEach
	void mapTheDefaultFramingProperties() {
		SwooleServerProperties defaults = new SwooleServerProperties();
		this.factory.setOpenEofSplit(defaults.isOpenEofSplit());
		this.factory.setOpenEofCheck(defaults.isOpenEofCheck());
		this.factory.setPackageEof(defaults.getPackageEof());
		this.factory.setOpenLengthCheck(defaults.isOpenLengthCheck());
		this.factory.setPackageLengthType(defaults.getPackageLengthType());
		this.factory.setPackageLengthOffset(defaults.getPackageLengthOffset());
		this.factory.setPackageBodyOffset(defaults.getPackageBodyOffset());
		this.factory.setPackageMaxLength(defaults.getPackageMaxLength());
	}

	@Test
	void withoutFramingEachReadIsOneMessage() {
		Framing framing = this.factory.framing();
		assertThat(framing).hasToString("raw (one message per read)");
		assertThat(framing.newDecoders()).isEmpty();
	}

	@Test
	void eofSplitCutsAtTheDefaultDelimiter() {
		this.factory.setOpenEofSplit(true);
		Framing framing = this.factory.framing();
		assertThat(framing).hasToString("eof \"\\r\\n\", at most 2097152 bytes");
		assertThat(frames(framing, "one\r\ntwo\r\nthr")).containsExactly("one", "two");
	}

	@Test
	void eofCheckCutsAsEofSplit() {
		this.factory.setOpenEofCheck(true);
		assertThat(frames(this.factory.framing(), "one\r\ntwo\r\n")).containsExactly("one", "two");
	}

	@Test
	void eofSplitAndEofCheckTogetherCutAtTheDelimiter() {
		this.factory.setOpenEofSplit(true);
		this.factory.setOpenEofCheck(true);
		assertThat(frames(this.factory.framing(), "one\r\n")).containsExactly("one");
	}

	@Test
	void eofCutsAtTheConfiguredDelimiter() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("#|");
		Framing framing = this.factory.framing();
		assertThat(framing).hasToString("eof \"#|\", at most 2097152 bytes");
		assertThat(frames(framing, "a#b#|c#|")).containsExactly("a#b", "c");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
			\\n      | eof "\\\\n"
			a\"b     | eof "a\\"b"
			""")
	void theStartUpLineEscapesBackslashesAndQuotes(String eof, String described) {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof(eof);
		assertThat(this.factory.framing().toString()).startsWith(described + ",");
	}

	@Test
	void theStartUpLineEscapesControlAndNonAsciiBytesInHex() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("\t\u0000\u0001\u00e9");
		assertThat(this.factory.framing().toString()).startsWith("eof \"\\t\\x00\\x01\\xc3\\xa9\",");
	}

	@Test
	void anEofThatIsABackslashAndAnNIsWarnedOfWithTheYamlFix(CapturedOutput output) {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("\\n");
		this.factory.framing();
		assertThat(output).contains("WARN")
			.contains("swoole.server.package-eof is the two characters \\n (a backslash and n), not a newline")
			.contains("package-eof: \"\\n\"");
	}

	@Test
	void aNewlineEofIsNotWarnedOf(CapturedOutput output) {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("\n");
		this.factory.framing();
		assertThat(output).doesNotContain("package-eof");
	}

	@Test
	void eofOfEightBytesIsAccepted() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("12345678");
		assertThat(frames(this.factory.framing(), "a12345678")).containsExactly("a");
	}

	@Test
	void eofLongerThanEightBytesIsRefused() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("123456789");
		assertInvalid("package-eof", "123456789", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void eofIsCountedInUtf8Bytes() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageEof("\u00e9\u00e9\u00e9\u00e9\u00e9");
		assertInvalid("package-eof", "\u00e9\u00e9\u00e9\u00e9\u00e9", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void emptyEofIsRefused() {
		this.factory.setOpenEofCheck(true);
		this.factory.setPackageEof("");
		assertInvalid("package-eof", "", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void eofIsNotCheckedWithoutEofFraming() {
		this.factory.setPackageEof("");
		assertThat(this.factory.framing()).hasToString("raw (one message per read)");
	}

	@Test
	void eofMaxLengthCountsTheDelimiter() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(8));
		Framing framing = this.factory.framing();
		assertThat(frames(framing, "123456\r\n")).containsExactly("123456");
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> frames(framing, "1234567\r\n"));
	}

	@Test
	void eofMaxLengthOneByteLongerThanTheDelimiterIsAccepted() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(3));
		assertThat(frames(this.factory.framing(), "a\r\n")).containsExactly("a");
	}

	@Test
	void eofMaxLengthNoLongerThanTheDelimiterIsRefused() {
		this.factory.setOpenEofSplit(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(2));
		assertInvalid("package-max-length", DataSize.ofBytes(2), "It must be longer than package-eof.");
	}

	@Test
	void eofSplitWithLengthCheckIsRefused() {
		this.factory.setOpenEofSplit(true);
		this.factory.setOpenLengthCheck(true);
		assertInvalid("open-length-check", true,
				"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
	}

	@Test
	void eofCheckWithLengthCheckIsRefused() {
		this.factory.setOpenEofCheck(true);
		this.factory.setOpenLengthCheck(true);
		assertInvalid("open-length-check", true,
				"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
	}

	@Test
	void lengthCheckDefaultsToABigEndianLengthBeforeTheBody() {
		this.factory.setOpenLengthCheck(true);
		Framing framing = this.factory.framing();
		assertThat(framing).hasToString("length N at 0, body at 4, at most 2097152 bytes");
		assertThat(frames(framing, bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 1, 'd'))).containsExactly("abc", "d");
	}

	@Test
	void lengthAfterAHeaderFieldIsReadAtItsOffset() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthType(PackageLengthType.n);
		this.factory.setPackageLengthOffset(2);
		this.factory.setPackageBodyOffset(6);
		Framing framing = this.factory.framing();
		assertThat(framing).hasToString("length n at 2, body at 6, at most 2097152 bytes");
		assertThat(frames(framing, bytes('x', 'y', 0, 2, 'z', 'z', 'o', 'k'))).containsExactly("ok");
	}

	@Test
	void bodyOffsetZeroCountsTheWholeFrame() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthType(PackageLengthType.C);
		this.factory.setPackageBodyOffset(0);
		assertThat(frames(this.factory.framing(), bytes(4, 'a', 'b', 'c', 2, 'd'))).containsExactly("abc", "d");
	}

	@ParameterizedTest
	@EnumSource(PackageLengthType.class)
	void bodyOffsetRightAfterTheLengthIsAccepted(PackageLengthType type) {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthType(type);
		this.factory.setPackageLengthOffset(2);
		this.factory.setPackageBodyOffset(2 + type.size());
		assertThat(this.factory.framing())
			.hasToString("length " + type + " at 2, body at " + (2 + type.size()) + ", at most 2097152 bytes");
	}

	@ParameterizedTest
	@EnumSource(PackageLengthType.class)
	void bodyOffsetInsideTheLengthIsRefused(PackageLengthType type) {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthType(type);
		this.factory.setPackageLengthOffset(2);
		this.factory.setPackageBodyOffset(1 + type.size());
		assertInvalid("package-body-offset", 1 + type.size(),
				"It must be 0 (the length counts the whole frame) or at least " + (2 + type.size())
						+ " (package-length-offset plus the " + type.size() + " bytes of package-length-type " + type
						+ ").");
	}

	@Test
	void defaultBodyOffsetIsRefusedForALengthThatEndsAfterIt() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthOffset(1);
		assertInvalid("package-body-offset", 4,
				"It must be 0 (the length counts the whole frame) or at least 5 (package-length-offset plus the 4"
						+ " bytes of package-length-type N).");
	}

	@Test
	void negativeBodyOffsetIsRefused() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageBodyOffset(-1);
		assertThatInvalid("package-body-offset", -1);
	}

	@Test
	void negativeLengthOffsetIsRefused() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthOffset(-1);
		assertInvalid("package-length-offset", -1, "It must not be negative.");
	}

	@Test
	void lengthOffsetIsNotCheckedWithoutLengthCheck() {
		this.factory.setPackageLengthOffset(-1);
		this.factory.setPackageBodyOffset(1);
		assertThat(this.factory.framing()).hasToString("raw (one message per read)");
	}

	@Test
	void lengthOffsetWhoseLengthFieldEndsPastTheLargestIntIsRefused() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageLengthOffset(Integer.MAX_VALUE - 1);
		this.factory.setPackageBodyOffset(0);
		assertInvalid("package-max-length", DataSize.ofMegabytes(2), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthCountsTheHeader() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(8));
		Framing framing = this.factory.framing();
		assertThat(frames(framing, bytes(0, 0, 0, 4, 'a', 'b', 'c', 'd'))).containsExactly("abcd");
		assertThatExceptionOfType(TooLongFrameException.class)
			.isThrownBy(() -> frames(framing, bytes(0, 0, 0, 5, 'a', 'b', 'c', 'd', 'e')));
	}

	@Test
	void lengthMaxLengthNoLongerThanTheHeaderIsRefused() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(4));
		assertInvalid("package-max-length", DataSize.ofBytes(4), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthNoLongerThanTheBodyOffsetIsRefused() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageBodyOffset(16);
		this.factory.setPackageMaxLength(DataSize.ofBytes(16));
		assertInvalid("package-max-length", DataSize.ofBytes(16), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthOneByteLongerThanTheHeaderIsAccepted() {
		this.factory.setOpenLengthCheck(true);
		this.factory.setPackageMaxLength(DataSize.ofBytes(5));
		assertThat(frames(this.factory.framing(), bytes(0, 0, 0, 1, 'a'))).containsExactly("a");
	}

	@Test
	void maxLengthIsInBytes() {
		this.factory.setPackageMaxLength(DataSize.ofKilobytes(1));
		assertThat(FramingFactory.maxLength(this.factory)).isEqualTo(1024);
	}

	@Test
	void maxLengthOfOneByteIsAccepted() {
		this.factory.setPackageMaxLength(DataSize.ofBytes(1));
		assertThat(FramingFactory.maxLength(this.factory)).isOne();
	}

	@Test
	void maxLengthOfTwoGigabytesIsAccepted() {
		this.factory.setPackageMaxLength(DataSize.ofBytes(Integer.MAX_VALUE - 8));
		assertThat(FramingFactory.maxLength(this.factory)).isEqualTo(Integer.MAX_VALUE - 8);
	}

	@Test
	void maxLengthOfZeroIsRefused() {
		this.factory.setPackageMaxLength(DataSize.ofBytes(0));
		assertInvalid("package-max-length", DataSize.ofBytes(0), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void negativeMaxLengthIsRefused() {
		this.factory.setPackageMaxLength(DataSize.ofBytes(-1));
		assertInvalid("package-max-length", DataSize.ofBytes(-1), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void maxLengthBeyondTwoGigabytesIsRefused() {
		this.factory.setPackageMaxLength(DataSize.ofGigabytes(2));
		assertInvalid("package-max-length", DataSize.ofGigabytes(2), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void maxLengthIsCheckedWithoutFramingToo() {
		this.factory.setPackageMaxLength(DataSize.ofBytes(0));
		assertThatInvalid("package-max-length", DataSize.ofBytes(0));
	}

	private void assertInvalid(String property, Object value, String reason) {
		assertThatInvalid(property, value).satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason));
	}

	private ThrowableAssertAlternative<InvalidConfigurationPropertyValueException> assertThatInvalid(String property,
			Object value) {
		return assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> this.factory.framing())
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("swoole.server." + property))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo(value));
	}

	private static List<String> frames(Framing framing, String input) {
		return frames(framing, input.getBytes(StandardCharsets.UTF_8));
	}

	private static List<String> frames(Framing framing, byte[] input) {
		EmbeddedChannel channel = new EmbeddedChannel(framing.newDecoders().toArray(new ChannelHandler[0]));
		try {
			channel.writeInbound(Unpooled.wrappedBuffer(input));
			List<String> frames = new ArrayList<>();
			for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
				frames.add(frame.toString(StandardCharsets.UTF_8));
				frame.release();
			}
			return frames;
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
