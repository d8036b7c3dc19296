package io.swooletask.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.swooletask.server.netty.Framing;
import io.swooletask.server.PackageLengthType;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class FramingFactoryTests {

	private final SwooleServerProperties properties = new SwooleServerProperties();

	@Test
	void withoutFramingEachReadIsOneMessage() {
		Framing framing = FramingFactory.create(this.properties);
		assertThat(framing).hasToString("raw (one message per read)");
		assertThat(framing.newDecoders()).isEmpty();
	}

	@Test
	void eofSplitCutsAtTheDefaultDelimiter() {
		this.properties.setOpenEofSplit(true);
		Framing framing = FramingFactory.create(this.properties);
		assertThat(framing).hasToString("eof \"\\r\\n\", at most 2097152 bytes");
		assertThat(frames(framing, "one\r\ntwo\r\nthr")).containsExactly("one", "two");
	}

	@Test
	void eofCheckCutsAsEofSplit() {
		this.properties.setOpenEofCheck(true);
		assertThat(frames(FramingFactory.create(this.properties), "one\r\ntwo\r\n")).containsExactly("one", "two");
	}

	@Test
	void eofSplitAndEofCheckTogetherCutAtTheDelimiter() {
		this.properties.setOpenEofSplit(true);
		this.properties.setOpenEofCheck(true);
		assertThat(frames(FramingFactory.create(this.properties), "one\r\n")).containsExactly("one");
	}

	@Test
	void eofCutsAtTheConfiguredDelimiter() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("#|");
		Framing framing = FramingFactory.create(this.properties);
		assertThat(framing).hasToString("eof \"#|\", at most 2097152 bytes");
		assertThat(frames(framing, "a#b#|c#|")).containsExactly("a#b", "c");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
			\\n      | eof "\\\\n"
			a\"b     | eof "a\\"b"
			""")
	void theStartUpLineEscapesBackslashesAndQuotes(String eof, String described) {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof(eof);
		assertThat(FramingFactory.create(this.properties).toString()).startsWith(described + ",");
	}

	@Test
	void theStartUpLineEscapesControlAndNonAsciiBytesInHex() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("\t\u0000\u0001\u00e9");
		assertThat(FramingFactory.create(this.properties).toString()).startsWith("eof \"\\t\\x00\\x01\\xc3\\xa9\",");
	}

	@Test
	void anEofThatIsABackslashAndAnNIsWarnedOfWithTheYamlFix(CapturedOutput output) {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("\\n");
		FramingFactory.create(this.properties);
		assertThat(output).contains("WARN")
			.contains("swoole.server.package-eof is the two characters \\n (a backslash and n), not a newline")
			.contains("package-eof: \"\\n\"");
	}

	@Test
	void aNewlineEofIsNotWarnedOf(CapturedOutput output) {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("\n");
		FramingFactory.create(this.properties);
		assertThat(output).doesNotContain("package-eof");
	}

	@Test
	void eofOfEightBytesIsAccepted() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("12345678");
		assertThat(frames(FramingFactory.create(this.properties), "a12345678")).containsExactly("a");
	}

	@Test
	void eofLongerThanEightBytesIsRefused() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("123456789");
		assertInvalid("package-eof", "123456789", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void eofIsCountedInUtf8Bytes() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageEof("\u00e9\u00e9\u00e9\u00e9\u00e9");
		assertInvalid("package-eof", "\u00e9\u00e9\u00e9\u00e9\u00e9", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void emptyEofIsRefused() {
		this.properties.setOpenEofCheck(true);
		this.properties.setPackageEof("");
		assertInvalid("package-eof", "", "It must be 1 to 8 bytes long, as in Swoole.");
	}

	@Test
	void eofIsNotCheckedWithoutEofFraming() {
		this.properties.setPackageEof("");
		assertThat(FramingFactory.create(this.properties)).hasToString("raw (one message per read)");
	}

	@Test
	void eofMaxLengthCountsTheDelimiter() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(8));
		Framing framing = FramingFactory.create(this.properties);
		assertThat(frames(framing, "123456\r\n")).containsExactly("123456");
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> frames(framing, "1234567\r\n"));
	}

	@Test
	void eofMaxLengthOneByteLongerThanTheDelimiterIsAccepted() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(3));
		assertThat(frames(FramingFactory.create(this.properties), "a\r\n")).containsExactly("a");
	}

	@Test
	void eofMaxLengthNoLongerThanTheDelimiterIsRefused() {
		this.properties.setOpenEofSplit(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(2));
		assertInvalid("package-max-length", DataSize.ofBytes(2), "It must be longer than package-eof.");
	}

	@Test
	void eofSplitWithLengthCheckIsRefused() {
		this.properties.setOpenEofSplit(true);
		this.properties.setOpenLengthCheck(true);
		assertInvalid("open-length-check", true,
				"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
	}

	@Test
	void eofCheckWithLengthCheckIsRefused() {
		this.properties.setOpenEofCheck(true);
		this.properties.setOpenLengthCheck(true);
		assertInvalid("open-length-check", true,
				"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
	}

	@Test
	void lengthCheckDefaultsToABigEndianLengthBeforeTheBody() {
		this.properties.setOpenLengthCheck(true);
		Framing framing = FramingFactory.create(this.properties);
		assertThat(framing).hasToString("length N at 0, body at 4, at most 2097152 bytes");
		assertThat(frames(framing, bytes(0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 1, 'd'))).containsExactly("abc", "d");
	}

	@Test
	void lengthAfterAHeaderFieldIsReadAtItsOffset() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthType(PackageLengthType.n);
		this.properties.setPackageLengthOffset(2);
		this.properties.setPackageBodyOffset(6);
		Framing framing = FramingFactory.create(this.properties);
		assertThat(framing).hasToString("length n at 2, body at 6, at most 2097152 bytes");
		assertThat(frames(framing, bytes('x', 'y', 0, 2, 'z', 'z', 'o', 'k'))).containsExactly("ok");
	}

	@Test
	void bodyOffsetZeroCountsTheWholeFrame() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthType(PackageLengthType.C);
		this.properties.setPackageBodyOffset(0);
		assertThat(frames(FramingFactory.create(this.properties), bytes(4, 'a', 'b', 'c', 2, 'd')))
			.containsExactly("abc", "d");
	}

	@ParameterizedTest
	@EnumSource(PackageLengthType.class)
	void bodyOffsetRightAfterTheLengthIsAccepted(PackageLengthType type) {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthType(type);
		this.properties.setPackageLengthOffset(2);
		this.properties.setPackageBodyOffset(2 + type.size());
		assertThat(FramingFactory.create(this.properties))
			.hasToString("length " + type + " at 2, body at " + (2 + type.size()) + ", at most 2097152 bytes");
	}

	@ParameterizedTest
	@EnumSource(PackageLengthType.class)
	void bodyOffsetInsideTheLengthIsRefused(PackageLengthType type) {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthType(type);
		this.properties.setPackageLengthOffset(2);
		this.properties.setPackageBodyOffset(1 + type.size());
		assertInvalid("package-body-offset", 1 + type.size(),
				"It must be 0 (the length counts the whole frame) or at least " + (2 + type.size())
						+ " (package-length-offset plus the " + type.size() + " bytes of package-length-type " + type
						+ ").");
	}

	@Test
	void defaultBodyOffsetIsRefusedForALengthThatEndsAfterIt() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthOffset(1);
		assertInvalid("package-body-offset", 4,
				"It must be 0 (the length counts the whole frame) or at least 5 (package-length-offset plus the 4"
						+ " bytes of package-length-type N).");
	}

	@Test
	void negativeBodyOffsetIsRefused() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageBodyOffset(-1);
		assertThatInvalid("package-body-offset", -1);
	}

	@Test
	void negativeLengthOffsetIsRefused() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthOffset(-1);
		assertInvalid("package-length-offset", -1, "It must not be negative.");
	}

	@Test
	void lengthOffsetIsNotCheckedWithoutLengthCheck() {
		this.properties.setPackageLengthOffset(-1);
		this.properties.setPackageBodyOffset(1);
		assertThat(FramingFactory.create(this.properties)).hasToString("raw (one message per read)");
	}

	@Test
	void lengthOffsetWhoseLengthFieldEndsPastTheLargestIntIsRefused() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageLengthOffset(Integer.MAX_VALUE - 1);
		this.properties.setPackageBodyOffset(0);
		assertInvalid("package-max-length", DataSize.ofMegabytes(2), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthCountsTheHeader() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(8));
		Framing framing = FramingFactory.create(this.properties);
		assertThat(frames(framing, bytes(0, 0, 0, 4, 'a', 'b', 'c', 'd'))).containsExactly("abcd");
		assertThatExceptionOfType(TooLongFrameException.class)
			.isThrownBy(() -> frames(framing, bytes(0, 0, 0, 5, 'a', 'b', 'c', 'd', 'e')));
	}

	@Test
	void lengthMaxLengthNoLongerThanTheHeaderIsRefused() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(4));
		assertInvalid("package-max-length", DataSize.ofBytes(4), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthNoLongerThanTheBodyOffsetIsRefused() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageBodyOffset(16);
		this.properties.setPackageMaxLength(DataSize.ofBytes(16));
		assertInvalid("package-max-length", DataSize.ofBytes(16), "It must be longer than the frame header.");
	}

	@Test
	void lengthMaxLengthOneByteLongerThanTheHeaderIsAccepted() {
		this.properties.setOpenLengthCheck(true);
		this.properties.setPackageMaxLength(DataSize.ofBytes(5));
		assertThat(frames(FramingFactory.create(this.properties), bytes(0, 0, 0, 1, 'a'))).containsExactly("a");
	}

	@Test
	void maxLengthIsInBytes() {
		this.properties.setPackageMaxLength(DataSize.ofKilobytes(1));
		assertThat(FramingFactory.maxLength(this.properties)).isEqualTo(1024);
	}

	@Test
	void maxLengthOfOneByteIsAccepted() {
		this.properties.setPackageMaxLength(DataSize.ofBytes(1));
		assertThat(FramingFactory.maxLength(this.properties)).isOne();
	}

	@Test
	void maxLengthOfTwoGigabytesIsAccepted() {
		this.properties.setPackageMaxLength(DataSize.ofBytes(Integer.MAX_VALUE - 8));
		assertThat(FramingFactory.maxLength(this.properties)).isEqualTo(Integer.MAX_VALUE - 8);
	}

	@Test
	void maxLengthOfZeroIsRefused() {
		this.properties.setPackageMaxLength(DataSize.ofBytes(0));
		assertInvalid("package-max-length", DataSize.ofBytes(0), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void negativeMaxLengthIsRefused() {
		this.properties.setPackageMaxLength(DataSize.ofBytes(-1));
		assertInvalid("package-max-length", DataSize.ofBytes(-1), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void maxLengthBeyondTwoGigabytesIsRefused() {
		this.properties.setPackageMaxLength(DataSize.ofGigabytes(2));
		assertInvalid("package-max-length", DataSize.ofGigabytes(2), "It must be from 1 byte to 2 GB.");
	}

	@Test
	void maxLengthIsCheckedWithoutFramingToo() {
		this.properties.setPackageMaxLength(DataSize.ofBytes(0));
		assertThatInvalid("package-max-length", DataSize.ofBytes(0));
	}

	private void assertInvalid(String property, Object value, String reason) {
		assertThatInvalid(property, value).satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(reason));
	}

	private ThrowableAssertAlternative<InvalidConfigurationPropertyValueException> assertThatInvalid(String property,
			Object value) {
		return assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> FramingFactory.create(this.properties))
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
