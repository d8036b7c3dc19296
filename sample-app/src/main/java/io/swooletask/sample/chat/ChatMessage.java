package io.swooletask.sample.chat;

/**
 * A line said in the chat room, with the id of the connection that said it, so that every
 * reader sees who spoke.
 */
record ChatMessage(long from, String text) {

}
